// FAKE ELECTRON, for tests only: a stand-in for the `electron` module with just what the Spanwise main
// process uses, so its built bundle runs in plain Node. It draws nothing and encrypts nothing; it
// reports every call to the test (see link.ts) and is steered by environment variables:
//   FAKE_ELECTRON_USER_DATA  app.getPath('userData') (required)
//   FAKE_ELECTRON_APP_PATH   app.getAppPath() (default: the working directory)
//   FAKE_ELECTRON_PACKAGED   '1' for app.isPackaged
//   FAKE_ELECTRON_RESOURCES  process.resourcesPath
//   FAKE_ELECTRON_KEYRING    safeStorage's Linux backend: gnome_libsecret (default) or basic_text
//   FAKE_ELECTRON_PLATFORM   process.platform as the main process sees it (e.g. darwin)
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onCommand, record, recordThen } from './link.js';
import { requestLock } from './single-instance.js';
import { BrowserWindow, onLastWindowClosed, preventable } from './windows.js';

export { BrowserWindow };

const env = process.env;
const userData = env.FAKE_ELECTRON_USER_DATA ?? '';
if (!userData) throw new Error('fake electron: set FAKE_ELECTRON_USER_DATA');
const appPath = env.FAKE_ELECTRON_APP_PATH ?? process.cwd();
Object.assign(process, { resourcesPath: env.FAKE_ELECTRON_RESOURCES ?? join(appPath, 'node_modules/electron/dist/resources') });
if (env.FAKE_ELECTRON_PLATFORM) Object.defineProperty(process, 'platform', { value: env.FAKE_ELECTRON_PLATFORM });

class FakeApp extends EventEmitter {
  readonly isPackaged = env.FAKE_ELECTRON_PACKAGED === '1';
  private quitting = false;
  private readonly ready = new Promise<void>((resolve) => setImmediate(() => (this.emit('ready'), resolve())));

  whenReady(): Promise<void> {
    return this.ready;
  }

  getAppPath(): string {
    return appPath;
  }

  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake electron: getPath('${name}') is not faked`);
    return userData;
  }

  requestSingleInstanceLock(): boolean {
    const got = requestLock(userData, (argv, workingDirectory) => this.emit('second-instance', preventable(), argv, workingDirectory));
    record('singleInstanceLock', { got });
    return got;
  }

  quit(): void {
    if (this.quitting) return;
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.quitting = true;
    for (const window of BrowserWindow.getAllWindows()) window.close();
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.emit('quit');
    recordThen('quit', {}, () => process.exit(0));
  }

  exit(code = 0): void {
    this.quitting = true;
    recordThen('exit', { code }, () => process.exit(code));
  }

  get isQuitting(): boolean {
    return this.quitting;
  }
}

export const app = new FakeApp();
onLastWindowClosed(() => {
  if (!app.isQuitting) app.emit('window-all-closed');
});

const handlers = new Map<string, (event: unknown, request: unknown) => unknown>();

export const ipcMain = {
  handle(channel: string, handler: (event: unknown, request: unknown) => unknown): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
    record('handle', { channel });
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('errorBox', { title, content });
  },
};

const keyring = env.FAKE_ELECTRON_KEYRING ?? 'gnome_libsecret';
const fakeSealPrefix = 'v11';

export const safeStorage = {
  isEncryptionAvailable: () => keyring !== 'basic_text',
  getSelectedStorageBackend: () => keyring,
  encryptString: (plain: string) => Buffer.concat([Buffer.from(fakeSealPrefix), Buffer.from(plain, 'utf8')]),
  decryptString(sealed: Buffer): string {
    if (keyring === 'basic_text' || sealed.subarray(0, 3).toString() !== fakeSealPrefix)
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return sealed.subarray(3).toString('utf8');
  },
};

interface FakeImage {
  path: string;
  isEmpty(): boolean;
  resize(size: { width: number; height: number }): FakeImage;
}

export const nativeImage = {
  createFromPath: (path: string): FakeImage => ({
    path,
    isEmpty: () => !existsSync(path),
    resize: function (this: FakeImage) {
      return this;
    },
  }),
};

type Item = { label?: string; role?: string; type?: string; enabled?: boolean; checked?: boolean; click?: (item: Item) => void; submenu?: Item[] };

class FakeMenu {
  readonly items: Item[];

  constructor(items: Item[]) {
    this.items = items;
  }

  static buildFromTemplate(template: Item[]): FakeMenu {
    return new FakeMenu(template);
  }

  static setApplicationMenu(menu: FakeMenu): void {
    record('appMenu', { items: describe(menu.items) });
    appMenu = menu;
  }
}

export { FakeMenu as Menu };
let appMenu: FakeMenu | null = null;
const describe = (items: Item[]): unknown[] =>
  items.map(({ label, role, type, enabled, checked, submenu }) => ({ label, role, type, enabled, checked, submenu: submenu && describe(submenu) }));

const trays: Tray[] = [];
const currentTray = () => trays.at(-1);

export class Tray extends EventEmitter {
  private menu: FakeMenu | null = null;

  constructor(image: FakeImage) {
    super();
    trays.push(this);
    record('tray', { icon: image.path, iconExists: !image.isEmpty() });
  }

  setToolTip(text: string): void {
    record('trayToolTip', { text });
  }

  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
    record('trayMenu', { items: describe(menu.items) });
  }

  get items(): Item[] {
    return this.menu?.items ?? [];
  }

  destroy(): void {
    record('trayDestroyed');
  }
}

export class Notification {
  static isSupported(): boolean {
    return false;
  }

  show(): void {
    record('notification');
  }
}

export const shell = {
  openExternal: async (url: string) => record('openExternal', { url }),
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

const clickable = (items: Item[], label: unknown): Item => {
  const item = items.flatMap((i) => [i, ...(i.submenu ?? [])]).find((i) => i.label === label);
  if (!item?.click) throw new Error(`no clickable item '${String(label)}'`);
  return item;
};

onCommand('invoke', ({ channel, request, frameUrl }) => {
  const handler = handlers.get(String(channel));
  if (!handler) throw new Error(`no handler for ${String(channel)}`);
  return handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, request);
});
onCommand('appEvent', ({ event }) => void app.emit(String(event), preventable()));
onCommand('trayClick', () => void currentTray()?.emit('click'));
onCommand('trayMenuClick', ({ label }) => {
  const item = clickable(currentTray()?.items ?? [], label);
  item.click?.(item);
});
onCommand('appMenuClick', ({ label }) => {
  const item = clickable(appMenu?.items ?? [], label);
  if (item.type === 'checkbox') item.checked = !item.checked;
  item.click?.(item);
});
onCommand('quit', () => app.quit());
