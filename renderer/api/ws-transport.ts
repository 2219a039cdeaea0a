import type { EventChannel, Events, InvokeResult, SpanwiseApi, WireFrame } from '../../electron/contract/index.js';
import { disconnected, type ConnectionListener } from './connection.js';

type Pending = (result: InvokeResult<unknown>) => void;

/** How long to wait before connecting again after a loss: doubling from the first to the last. */
export const RECONNECT_DELAYS_MS = { first: 250, last: 4000 } as const;

/**
 * The contract over the web mode's WebSocket. The access token travels as the
 * cookie the server set when the tokened URL was opened. A lost connection
 * settles every pending call with DISCONNECTED, answers new calls the same
 * until it is back, and is opened again by itself; listeners stay subscribed.
 */
export function connectWebSocketApi(url = `ws://${location.host}/ws`, onConnection: ConnectionListener = () => undefined): SpanwiseApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let delay: number = RECONNECT_DELAYS_MS.first;
  let socket: WebSocket;
  /** Resolves once the first connection opened or failed: calls made at start wait for it. */
  let settledFirst: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (settledFirst = resolve));

  const open = () => {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      delay = RECONNECT_DELAYS_MS.first;
      settledFirst();
      onConnection(true);
    });
    socket.addEventListener('close', () => {
      for (const settle of pending.values()) settle(disconnected('the backend closed the connection'));
      pending.clear();
      settledFirst();
      onConnection(false);
      setTimeout(open, delay);
      delay = Math.min(delay * 2, RECONNECT_DELAYS_MS.last);
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
  };
  open();

  return {
    async invoke(channel, request) {
      await first;
      if (socket.readyState !== WebSocket.OPEN) return disconnected('the backend is not connected') as never;
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
