import type { Services } from '../services/index.js';
import { importSshConfig } from '../services/machines/ssh-config-import.js';
import type { Handlers } from './types.js';

/** Handlers of the machine domain. */
export function machineHandlers({ machines }: Services): Pick<Handlers, 'machine:list' | 'machine:add' | 'machine:delete' | 'machine:importSshConfig'> {
  return {
    'machine:list': async () => machines.list(),
    'machine:add': async (input) => machines.add(input),
    'machine:delete': async ({ name }) => machines.delete(name),
    'machine:importSshConfig': async ({ path }) => importSshConfig(path),
  };
}
