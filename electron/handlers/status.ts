import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the status domain. */
export function statusHandlers({ status }: Services): Pick<Handlers, 'status:get'> {
  return {
    'status:get': async () => status.status(),
  };
}
