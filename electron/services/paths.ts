import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root of a checkout (in the packaged app: the app's asar). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Every file the desktop reads at run time besides its own code, in one place for dev and packaged runs. */
export interface ResourceLayout {
  /** The built renderer (index.html, app.js). */
  rendererDir: string;
  /** The sandboxed preload script. */
  preloadPath: string;
  /** The single-file agent bundle pushed to hosts. */
  agentBundle: string;
  /** The systemd unit installed with the agent. */
  agentUnit: string;
  /** The tray and window icon. */
  trayIcon: string;
}

/**
 * Where a run finds its resources. A checkout keeps them in the tree; the
 * packaged app keeps its code in `app.asar` (appPath) and the files pushed to
 * hosts or read by the OS under `process.resourcesPath` (electron-builder's
 * `extraResources`).
 */
export type ResourceRoot = { packaged: false; root: string } | { packaged: true; appPath: string; resourcesPath: string };

/** Resolves the resource layout of a checkout or of the packaged app. */
export function resourceLayout(where: ResourceRoot): ResourceLayout {
  const code = where.packaged ? where.appPath : where.root;
  const extra = where.packaged ? where.resourcesPath : null;
  return {
    rendererDir: join(code, 'dist/renderer'),
    preloadPath: join(code, 'dist/electron/preload.cjs'),
    agentBundle: extra ? join(extra, 'agent/spanwise-agent.mjs') : join(code, 'dist/agent/spanwise-agent.mjs'),
    agentUnit: extra ? join(extra, 'agent/packaging/spanwise-agent.service') : join(code, 'agent/packaging/spanwise-agent.service'),
    trayIcon: extra ? join(extra, 'build/icon.png') : join(code, 'build/icon.png'),
  };
}

/** The layout of this checkout (the CLI, `spanwise web` and the tests). */
export const checkoutResources = resourceLayout({ packaged: false, root: projectRoot });

/** Where the built renderer lives in a checkout. */
export const rendererDir = checkoutResources.rendererDir;

/**
 * The backend's data dir: `--data-dir`, else `SPANWISE_HOME`, else
 * `$XDG_CONFIG_HOME/spanwise` (or `~/.config/spanwise`).
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.SPANWISE_HOME) return resolve(env.SPANWISE_HOME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'spanwise');
}
