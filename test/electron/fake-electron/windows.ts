// FAKE ELECTRON, for tests only: BrowserWindow and its webContents, as far as the main process uses
// them. Nothing is drawn; every call is reported to the test.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { onCommand, record } from './link.js';

/** An event whose default the listener may prevent, like Electron's. */
export interface Preventable {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export const preventable = (): Preventable => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
type PermissionHandler = (contents: unknown, permission: string, grant: (granted: boolean) => void) => void;

class FakeWebContents extends EventEmitter {
  url = '';
  openHandler: OpenHandler | null = null;
  permissionHandler: PermissionHandler | null = null;
  readonly session = {
    setPermissionRequestHandler: (handler: PermissionHandler) => {
      this.permissionHandler = handler;
    },
  };

  readonly windowId: number;

  constructor(windowId: number) {
    super();
    this.windowId = windowId;
  }

  send(channel: string, payload: unknown): void {
    record('send', { window: this.windowId, channel, payload });
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
}

let nextId = 1;
const open = new Set<BrowserWindow>();
let whenLastCloses: () => void = () => undefined;

/** Called by the fake app: what to do when the last window has closed. */
export function onLastWindowClosed(handler: () => void): void {
  whenLastCloses = handler;
}

/** A window that records its options and what is done to it. */
export class BrowserWindow extends EventEmitter {
  readonly id = nextId++;
  readonly webContents = new FakeWebContents(this.id);
  private destroyed = false;
  private maximized = false;
  private readonly bounds: { x: number; y: number; width: number; height: number };

  static getAllWindows(): BrowserWindow[] {
    return [...open];
  }

  constructor(options: Record<string, unknown> = {}) {
    super();
    open.add(this);
    this.bounds = { x: Number(options.x ?? 120), y: Number(options.y ?? 80), width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    record('window', { window: this.id, options });
  }

  async loadFile(path: string): Promise<void> {
    record('loadFile', { window: this.id, path, exists: existsSync(path) });
    if (!existsSync(path)) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${pathToFileURL(path).href}'`);
    this.webContents.url = pathToFileURL(path).href;
    setImmediate(() => this.emit('ready-to-show'));
  }

  show(): void {
    record('show', { window: this.id });
  }

  focus(): void {
    record('focus', { window: this.id });
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {
    record('restore', { window: this.id });
  }

  maximize(): void {
    this.maximized = true;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getNormalBounds() {
    return { ...this.bounds };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  close(): void {
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    open.delete(this);
    this.emit('closed');
    record('closed', { window: this.id });
    if (open.size === 0) whenLastCloses();
  }
}

const current = () => {
  const window = [...open][0];
  if (!window) throw new Error('no window is open');
  return window;
};

onCommand('closeWindow', () => current().close());
onCommand('navigate', ({ url }) => {
  const event = preventable();
  current().webContents.emit('will-navigate', event, url);
  return { prevented: event.defaultPrevented };
});
onCommand('openWindow', ({ url }) => current().webContents.openHandler?.({ url: String(url) }) ?? null);
onCommand(
  'askPermission',
  ({ permission }) =>
    new Promise((resolve) => current().webContents.permissionHandler?.(current().webContents, String(permission), resolve) ?? resolve('no handler')),
);
