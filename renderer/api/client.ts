import type { SpanwiseApi } from '../../electron/contract/index.js';
import { connectWebSocketApi } from './ws-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    spanwise?: SpanwiseApi;
  }
}

let api: SpanwiseApi | undefined;

/** The contract API: the preload's inside Electron, the WebSocket one in web mode. */
export function getApi(): SpanwiseApi {
  api ??= window.spanwise ?? connectWebSocketApi();
  return api;
}
