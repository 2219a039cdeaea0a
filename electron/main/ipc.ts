import { ipcMain } from 'electron';
import { invokeChannels } from '../contract/index.js';
import type { Handlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';
import { rendererFrameCheck } from './trusted-frame.js';

/** Registers every contract channel with Electron IPC, accepting only our own renderer page. */
export function registerIpc(handlers: Handlers, rendererDir: string): void {
  const fromOurRenderer = rendererFrameCheck(rendererDir);
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, (event, request: unknown) =>
      fromOurRenderer(event.senderFrame?.url)
        ? dispatch(handlers, channel, request)
        : { ok: false, error: { code: 'FORBIDDEN', message: 'request from an untrusted frame was refused' } },
    );
  }
}
