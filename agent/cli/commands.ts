import type { Command } from '../shared/cli.js';
import { discoveryCommands } from './discovery-commands.js';
import { getCommand } from './get-command.js';
import { identityDeriveCommand } from './identity-commands.js';
import { cleanupCommand, leaveCommand } from './maintenance-commands.js';
import { runCommand } from './run-command.js';
import { superviseCommand } from './supervise-command.js';
import { tlsCommands } from './tls-commands.js';

/** Every `spanwise-agent` subcommand, grouped by domain in their own files. */
export const agentCommands: Command[] = [
  ...discoveryCommands,
  runCommand,
  getCommand,
  identityDeriveCommand,
  leaveCommand,
  cleanupCommand,
  superviseCommand,
  ...tlsCommands,
];
