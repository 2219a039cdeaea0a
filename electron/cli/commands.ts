import type { Command } from '../../agent/shared/cli.js';
import { clusterCommands } from './cluster-commands.js';
import { diagnoseCommands } from './diagnose-commands.js';
import { membersCommand } from './members-command.js';
import { nodeCleanupCommand } from './node-cleanup-command.js';
import { machineCommands } from './machine-commands.js';
import { nodeInventoryCommands } from './node-commands.js';
import { onboardCommand, upgradeCommand } from './onboard-command.js';
import { settingsCommands } from './settings-commands.js';
import { statusCommand } from './status-command.js';
import { webCommand } from './web-command.js';

/** Every `spanwise` subcommand, grouped by domain in their own files. */
export const desktopCommands: Command[] = [
  ...clusterCommands,
  membersCommand,
  ...nodeInventoryCommands,
  ...machineCommands,
  nodeCleanupCommand,
  onboardCommand,
  upgradeCommand,
  statusCommand,
  ...diagnoseCommands,
  ...settingsCommands,
  webCommand,
];
