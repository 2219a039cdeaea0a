import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file.js';
import type { UpdateSwitch } from './menu.js';

/** How often a running app looks for an update. */
const checkEvery = 6 * 60 * 60 * 1000;

/**
 * Whether this build can update itself: packaged, with the publish config
 * electron-builder writes as `resources/app-update.yml` when `publish` is set.
 */
export function canSelfUpdate(packaged: boolean, resourcesPath: string): boolean {
  return packaged && existsSync(join(resourcesPath, 'app-update.yml'));
}

/** The user's automatic-update choice, kept in `<dataDir>/updates.json`; on unless turned off. */
export class UpdatePreference {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'updates.json');
  }

  get enabled(): boolean {
    const saved = readJsonFile(this.path) as { automatic?: unknown } | undefined;
    return saved?.automatic !== false;
  }

  set enabled(on: boolean) {
    writeJsonFile(this.path, { automatic: on });
  }
}

/**
 * Checks for updates now and every few hours with electron-updater, which
 * downloads in the background and installs on quit. Failures are logged and
 * never stop the app. Returns a function that stops the checks.
 */
export async function startAutoUpdate(): Promise<() => void> {
  const { default: updater } = await import('electron-updater');
  const { autoUpdater } = updater;
  const warn = (error: unknown) => console.warn(`spanwise: update check failed: ${error instanceof Error ? error.message : String(error)}`);
  autoUpdater.logger = {
    info: () => undefined,
    debug: () => undefined,
    warn: (message: unknown) => console.warn(`spanwise: updater: ${String(message)}`),
    error: warn,
  };
  autoUpdater.on('error', warn);
  const check = () => void autoUpdater.checkForUpdatesAndNotify().catch(warn);
  check();
  const timer = setInterval(check, checkEvery);
  return () => clearInterval(timer);
}

/** Automatic updates for this run: the Help menu's switch (null where the build cannot update itself) and a stop for quit. */
export interface AutoUpdates {
  switch: UpdateSwitch | null;
  stop(): void;
}

/** Starts automatic updates where the build can update itself and the user has not turned them off. */
export function autoUpdates(packaged: boolean, resourcesPath: string, dataDir: string, start: () => Promise<() => void> = startAutoUpdate): AutoUpdates {
  if (!canSelfUpdate(packaged, resourcesPath)) return { switch: null, stop: () => undefined };
  const preference = new UpdatePreference(dataDir);
  let running: Promise<(() => void) | null> | null = null;
  const begin = () => {
    running ??= start().catch((error: Error) => (console.warn(`spanwise: automatic updates are off: ${error.message}`), null));
  };
  const end = () => {
    void running?.then((stop) => stop?.());
    running = null;
  };
  if (preference.enabled) begin();
  return {
    switch: {
      get enabled() {
        return preference.enabled;
      },
      set(enabled: boolean) {
        preference.enabled = enabled;
        if (enabled) begin();
        else end();
      },
    },
    stop: end,
  };
}
