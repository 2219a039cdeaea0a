import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { SpanwiseApi } from '../contract/index.js';
import { eventChannels, type EventChannel, type Events } from '../contract/events.js';

/** The one narrow API the renderer gets: invoke a contract channel, or listen to a contract event. */
const api: SpanwiseApi = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void) {
    if (!eventChannels.includes(event)) throw new Error(`unknown event channel ${event}`);
    const handler = (_event: IpcRendererEvent, payload: Events[E]) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => ipcRenderer.removeListener(event, handler);
  },
};

contextBridge.exposeInMainWorld('spanwise', api);
