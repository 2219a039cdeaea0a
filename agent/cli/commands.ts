import type { Command } from '../lib/cli.js';

/** Every `spanwise-agent` subcommand, grouped by domain in their own files. */
export const agentCommands: Command[] = [];
