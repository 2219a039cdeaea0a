import type { Command } from '../lib/cli.js';
import { discoveryCommands } from './discovery-commands.js';
import { tlsCommands } from './tls-commands.js';

/** Every `spanwise-agent` subcommand, grouped by domain in their own files. */
export const agentCommands: Command[] = [
  ...discoveryCommands,
  ...tlsCommands,
];
