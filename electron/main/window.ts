import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';

/** Opens the one app window: isolated, sandboxed, no Node in the renderer, no navigation away. */
export function openMainWindow(rendererDir: string, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Spanwise',
    webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadFile(join(rendererDir, 'index.html'));
  return window;
}
