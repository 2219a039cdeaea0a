import { runCli } from '../shared/cli.js';
import { VERSION } from '../shared/version.js';
import { agentCommands } from './commands.js';

/** Entry point of `spanwise-agent`, the node agent (also the bundled file pushed to hosts). */
export async function main(argv: string[]): Promise<number> {
  return runCli(
    { name: 'spanwise-agent', version: VERSION, description: 'the Spanwise node agent (KubeSpan-compatible mesh, discovery service)', commands: agentCommands },
    argv,
  );
}
