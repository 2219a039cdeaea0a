import type { SpanwiseApi } from '../../electron/contract/index.js';
import { watchIpcApi, type ConnectionListener } from './connection.js';
import { connectWebSocketApi } from './ws-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    spanwise?: SpanwiseApi;
  }
}

let api: SpanwiseApi | undefined;
const connectionListeners = new Set<ConnectionListener>();
const tell: ConnectionListener = (connected) => connectionListeners.forEach((listener) => listener(connected));

/** The contract API: the preload's inside Electron, the WebSocket one in web mode. */
export function getApi(): SpanwiseApi {
  api ??= window.spanwise ? watchIpcApi(window.spanwise, tell) : connectWebSocketApi(undefined, tell);
  return api;
}

/** Listens to the backend connection being lost and back; returns the function that stops listening. */
export function onConnectionChange(listener: ConnectionListener): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}
