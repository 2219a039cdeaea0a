import { EventEmitter } from 'node:events';
import * as events from 'node:events';
import { readFileSync } from 'node:fs';
import * as timers from 'node:timers';
import * as url from 'node:url';
import vm from 'node:vm';

/** The Node modules a sandboxed Electron preload may require, besides 'electron'. */
const sandboxModules: Record<string, unknown> = { events, timers, url };

/** What a preload did in the sandbox: what it exposed to the page, what it required, and the IPC it made. */
export interface PreloadRun {
  exposed: Record<string, unknown>;
  required: string[];
  invokes: unknown[][];
  /** The fake ipcRenderer's listeners, to push events as the main process would. */
  ipc: EventEmitter;
  /** The sandbox's own require, to show what it refuses. */
  require(name: string): unknown;
}

/**
 * Evaluates a built preload the way a sandboxed Electron renderer does: a
 * fresh context with no Node globals, and a `require` that gives only
 * 'electron' (a fake contextBridge and ipcRenderer) and events, timers and url.
 */
export function runPreload(path: string): PreloadRun {
  const exposed: Record<string, unknown> = {};
  const required: string[] = [];
  const invokes: unknown[][] = [];
  const ipc = new EventEmitter();
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        if (key in exposed) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => (invokes.push(args), Promise.resolve({ ok: true, value: 'from main' })),
      on: (channel: string, listener: (...args: unknown[]) => void) => ipc.on(channel, listener),
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => ipc.removeListener(channel, listener),
    },
  };
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    if (name in sandboxModules) return sandboxModules[name];
    throw new Error(`module not found: ${name} (a sandboxed preload may require only electron, events, timers and url)`);
  };
  const context = vm.createContext({});
  const module = { exports: {} };
  const globals = {
    exports: module.exports,
    require: sandboxRequire,
    module,
    process: { platform: process.platform, versions: process.versions, env: {} },
    Buffer,
    global: vm.runInContext('globalThis', context),
    setImmediate,
    clearImmediate,
  };
  const body = vm.compileFunction(readFileSync(path, 'utf8'), Object.keys(globals), { parsingContext: context, filename: path });
  body(...Object.values(globals));
  return { exposed, required, invokes, ipc, require: sandboxRequire };
}
