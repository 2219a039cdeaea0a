import { app, BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHandlers } from '../handlers/index.js';
import { createServices } from '../services/index.js';
import { projectRoot, rendererDir, resolveDataDir } from '../services/paths.js';
import { registerIpc } from './ipc.js';
import { SafeStorageBox } from './safe-storage-box.js';
import { startTray, trayIconPath } from './tray.js';
import { openMainWindow } from './window.js';

/** The Electron main process: services, IPC, one window. */
async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.SPANWISE_HOME ? resolveDataDir() : app.getPath('userData');
  const keyFileInUse = existsSync(join(dataDir, 'secret.key'));
  const bundled = app.isPackaged ? { agentBundlePath: join(process.resourcesPath, 'agent/spanwise-agent.mjs') } : {};
  const services = createServices({ mode: 'electron', dataDir, ...bundled, ...(keyFileInUse ? {} : { secretBox: new SafeStorageBox() }) });
  registerIpc(createHandlers(services), rendererDir);
  const window = openMainWindow(rendererDir, join(import.meta.dirname, 'preload.cjs'));
  services.events.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(event, payload);
  });
  const stopTray = startTray(services.events, trayIconPath(app.isPackaged ? process.resourcesPath : projectRoot), window);
  app.on('before-quit', () => {
    stopTray();
    services.close();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow(rendererDir, join(import.meta.dirname, 'preload.cjs'));
  });
}

void start();
