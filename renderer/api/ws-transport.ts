import type { EventChannel, Events, InvokeResult, SpanwiseApi, WireFrame } from '../../electron/contract/index.js';

type Pending = (result: InvokeResult<unknown>) => void;

/**
 * The contract over the web mode's WebSocket. The access token travels as the
 * cookie the server set when the tokened URL was opened.
 */
export function connectWebSocketApi(url = `ws://${location.host}/ws`): SpanwiseApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot reach the Spanwise backend')), { once: true });
  });
  socket.addEventListener('close', () => {
    for (const settle of pending.values())
      settle({
        ok: false,
        error: { code: 'DISCONNECTED', message: 'the backend closed the connection', hint: 'reload the page; restart `spanwise web` if it stopped' },
      });
    pending.clear();
  });
  socket.addEventListener('message', (message) => {
    const frame = JSON.parse(String(message.data)) as WireFrame;
    if (frame.kind === 'result') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else if (frame.kind === 'event') {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    }
  });

  return {
    async invoke(channel, request) {
      await opened;
      const id = nextId++;
      const result = new Promise<InvokeResult<unknown>>((resolve) => pending.set(id, resolve));
      socket.send(JSON.stringify({ kind: 'invoke', id, channel, request } satisfies WireFrame));
      return (await result) as never;
    },
    on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
