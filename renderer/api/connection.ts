import type { InvokeResult, SpanwiseApi } from '../../electron/contract/index.js';

/** Told each time the backend connection is lost (false) or back (true). */
export type ConnectionListener = (connected: boolean) => void;

/** The error every call gets while the backend is not connected. */
export function disconnected(message: string): InvokeResult<never> {
  return {
    ok: false,
    error: {
      code: 'DISCONNECTED',
      message,
      hint: 'the data shown is frozen; Spanwise connects again by itself (restart `spanwise web` or the app if it stopped)',
    },
  };
}

/**
 * The Electron preload's API, with a rejected IPC call (the main process gone or
 * restarting) answered as DISCONNECTED and told to `onConnection`, as the web
 * transport does for a closed socket; the next call that gets an answer tells it is back.
 */
export function watchIpcApi(api: SpanwiseApi, onConnection: ConnectionListener): SpanwiseApi {
  let connected = true;
  const tell = (now: boolean) => {
    if (now === connected) return;
    connected = now;
    onConnection(now);
  };
  return {
    async invoke(channel, request) {
      try {
        const result = await api.invoke(channel, request);
        tell(true);
        return result;
      } catch (error) {
        tell(false);
        return disconnected(`the backend did not answer: ${error instanceof Error ? error.message : String(error)}`) as never;
      }
    },
    on: (event, listener) => api.on(event, listener),
  };
}
