import { app } from 'electron';
import { createHandlers } from '../handlers/index.js';
import { createServices } from '../services/index.js';
import { appDataDir } from './data-dir.js';
import { registerIpc } from './ipc.js';
import { osKeychain } from './keychain.js';
import { wireLifecycle } from './lifecycle.js';
import { setAppMenu } from './menu.js';
import { appResources } from './resources.js';
import { startTray } from './tray.js';
import { autoUpdates } from './updater.js';
import { MainWindow } from './window.js';
import { WindowStateFile } from './window-state.js';

/**
 * Starts the app once Electron is ready: resources, data dir, services (with
 * the OS keychain on offer), IPC, the window, tray, menu and updates. Resolves
 * when the window's page has loaded; any failure rejects.
 */
export async function startDesktop(): Promise<void> {
  await app.whenReady();
  const layout = appResources();
  const dataDir = appDataDir();
  const services = createServices({ mode: 'electron', dataDir, keychain: osKeychain(), agentFiles: layout, diagnosisSchedule: true });
  registerIpc(createHandlers(services), layout.rendererDir);
  const window = new MainWindow(layout, new WindowStateFile(dataDir));
  services.events.subscribe((event, payload) => window.send(event, payload));
  const show = () => void window.show().catch((error: Error) => console.error(`spanwise: cannot open the window: ${error.message}`));
  const stopTray = startTray(services.events, layout.trayIcon, { show, quit: () => app.quit() });
  const updates = autoUpdates(app.isPackaged, process.resourcesPath, dataDir);
  setAppMenu(updates.switch);
  wireLifecycle({
    show,
    stop: () => {
      updates.stop();
      stopTray();
      return services.close();
    },
  });
  await window.open();
}
