import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the app domain. */
export function appHandlers(services: Services): Pick<Handlers, 'app:info'> {
  return {
    'app:info': async () => services.appInfo.info(),
  };
}
