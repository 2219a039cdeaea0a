import type { Command } from '../../agent/lib/cli.js';

/** Every `spanwise` subcommand, grouped by domain in their own files. */
export const desktopCommands: Command[] = [];
