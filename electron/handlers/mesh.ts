import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the mesh domain. */
export function meshHandlers({ mesh }: Services): Pick<Handlers, 'mesh:get' | 'mesh:pair'> {
  return {
    'mesh:get': async () => mesh.snapshot(),
    'mesh:pair': async ({ from, to, historyMinutes }) => mesh.pair(from, to, historyMinutes),
  };
}
