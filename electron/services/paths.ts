import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (a checkout, or the packaged app's resources). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the built renderer lives. */
export const rendererDir = join(projectRoot, 'dist/renderer');

/** Where the single-file agent bundle lives. */
export const agentBundlePath = join(projectRoot, 'dist/agent/spanwise-agent.mjs');

/** The systemd unit shipped with the agent. */
export const agentUnitPath = join(projectRoot, 'agent/packaging/spanwise-agent.service');

/**
 * The backend's data dir: `--data-dir`, else `SPANWISE_HOME`, else
 * `$XDG_CONFIG_HOME/spanwise` (or `~/.config/spanwise`).
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.SPANWISE_HOME) return resolve(env.SPANWISE_HOME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'spanwise');
}
