import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import { invokeChannels } from '../contract/index.js';
import type { Handlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';

/** Registers every contract channel with Electron IPC, accepting only our own renderer. */
export function registerIpc(handlers: Handlers, rendererDir: string): void {
  const trusted = pathToFileURL(rendererDir).href;
  const fromOurRenderer = (event: IpcMainInvokeEvent) => event.senderFrame?.url.startsWith(trusted) === true;
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event, request: unknown) =>
      fromOurRenderer(event)
        ? dispatch(handlers, channel, request)
        : { ok: false, error: { code: 'FORBIDDEN', message: 'request from an untrusted frame was refused' } },
    );
  }
}
