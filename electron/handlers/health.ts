import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the health domain. */
export function healthHandlers({ health }: Services): Pick<Handlers, 'health:get'> {
  return {
    'health:get': async () => health.health(),
  };
}
