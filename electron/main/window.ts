import { BrowserWindow, screen, shell } from 'electron';
import { join } from 'node:path';
import type { EventChannel, Events } from '../contract/index.js';
import type { ResourceLayout } from '../services/paths.js';
import { minimumWindowSize, type WindowStateFile } from './window-state.js';

/**
 * The one app window: isolated, sandboxed, no Node in the renderer, no
 * navigation away, shown when first painted at its saved size and place.
 * Created again on demand once closed (macOS keeps running without it).
 */
export class MainWindow {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly layout: ResourceLayout,
    private readonly state: WindowStateFile,
  ) {}

  /** Opens the window if there is none; resolves when its page has loaded. */
  async open(): Promise<BrowserWindow> {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const saved = this.state.load(screen.getAllDisplays().map((display) => display.workArea));
    const window = new BrowserWindow({
      width: saved.width,
      height: saved.height,
      ...(saved.x === undefined ? {} : { x: saved.x, y: saved.y }),
      minWidth: minimumWindowSize.width,
      minHeight: minimumWindowSize.height,
      show: false,
      title: 'Spanwise',
      icon: this.layout.trayIcon,
      webPreferences: { preload: this.layout.preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    this.window = window;
    window.once('ready-to-show', () => {
      if (saved.maximized) window.maximize();
      window.show();
    });
    window.on('close', () => this.state.save(window.getNormalBounds(), window.isMaximized()));
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    window.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url).catch((error: Error) => console.warn(`spanwise: cannot open ${url}: ${error.message}`));
      return { action: 'deny' };
    });
    window.webContents.session.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
    await window.loadFile(join(this.layout.rendererDir, 'index.html'));
    return window;
  }

  /** Brings the window to the front, opening it again if it was closed. */
  async show(): Promise<void> {
    const window = await this.open();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Forwards a backend event to the window's page, whichever window is open now. */
  send<E extends EventChannel>(event: E, payload: Events[E]): void {
    if (this.window && !this.window.isDestroyed()) this.window.webContents.send(event, payload);
  }
}
