import { runCli } from '../../agent/shared/cli.js';
import { VERSION } from '../../agent/shared/version.js';
import { desktopCommands } from './commands.js';

/** Entry point of `spanwise`, the desktop backend's CLI. */
export async function main(argv: string[]): Promise<number> {
  return runCli(
    { name: 'spanwise', version: VERSION, description: 'build and troubleshoot KubeSpan-compatible hybrid meshes', commands: desktopCommands },
    argv,
  );
}
