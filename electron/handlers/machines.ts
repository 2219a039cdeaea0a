import type { Services } from '../services/index.js';
import { importSshConfig } from '../services/machines/ssh-config-import.js';
import type { Handlers } from './types.js';

/** Handlers of the machine domain. */
export function machineHandlers({
  machines,
}: Services): Pick<Handlers, 'machine:list' | 'machine:add' | 'machine:update' | 'machine:test' | 'machine:delete' | 'machine:importSshConfig'> {
  return {
    'machine:list': async () => machines.list(),
    'machine:add': async (input) => machines.add(input),
    'machine:update': async ({ name, set }) => machines.update(name, set),
    'machine:test': async ({ name, set, acceptHostKey }) => machines.test(name, set, acceptHostKey),
    'machine:delete': async ({ name }) => machines.delete(name),
    'machine:importSshConfig': async ({ path }) => importSshConfig(path),
  };
}
