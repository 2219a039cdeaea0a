import type { Command } from '../../agent/shared/cli.js';
import { outputFormat } from '../../agent/shared/output-format.js';
import { withClient } from './client.js';
import { dataHelp, dataOptions, onePositional } from './options.js';
import { print } from './output.js';

/** `spanwise node cleanup NAME`: retries a removal that left the agent's processes or files on the host. */
export const nodeCleanupCommand: Command = {
  path: ['node', 'cleanup'],
  summary: 'retry removing a node whose removal left something on its host: stop what still runs, delete what is left, check again',
  usage: 'NAME [-o FORMAT]',
  options: { ...dataOptions },
  optionHelp: { ...dataHelp },
  examples: ['spanwise node cleanup edge1'],
  positionals: true,
  async run(values, positionals) {
    const format = outputFormat(values);
    const name = onePositional(positionals, 'machine NAME');
    const result = await withClient(values, (c) => c.invoke('node:cleanup', { name }, { name: 'NAME' }));
    print(format, { machine: name, ...result }, () => `removed ${name}; nothing of the agent is left on its host`);
  },
};
