import type { EventChannel, Events, InvokeChannel, InvokeResult, RequestOf, ResponseOf, SpanwiseApi } from '../../../electron/contract/index.js';

type Answer<C extends InvokeChannel> = (request: RequestOf<C>) => InvokeResult<ResponseOf<C>> | Promise<InvokeResult<ResponseOf<C>>>;

/**
 * The contract API held in memory, for the slices' unit tests: answers set per channel,
 * every invoke recorded, and events pushed with `emit` as the backend would.
 */
export class MemoryApi implements SpanwiseApi {
  readonly calls: Array<{ channel: InvokeChannel; request: unknown }> = [];
  private readonly answers = new Map<InvokeChannel, Answer<InvokeChannel>>();
  private readonly listeners = new Map<EventChannel, Set<(payload: never) => void>>();

  answer<C extends InvokeChannel>(channel: C, answer: Answer<C>): this {
    this.answers.set(channel, answer as unknown as Answer<InvokeChannel>);
    return this;
  }

  async invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<InvokeResult<ResponseOf<C>>> {
    this.calls.push({ channel, request });
    const answer = this.answers.get(channel);
    if (!answer) return { ok: false, error: { code: 'NO_ANSWER', message: `${channel}: no answer set in the test`, hint: 'set one with answer()' } };
    return (await answer(request)) as InvokeResult<ResponseOf<C>>;
  }

  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventChannel>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: Events[E]) => void)(payload);
  }

  /** Invokes of one channel so far. */
  count(channel: InvokeChannel): number {
    return this.calls.filter((call) => call.channel === channel).length;
  }

  /** Installs this API where the renderer looks for it (the preload's `window.spanwise`). */
  install(): this {
    Object.assign(globalThis, { window: { spanwise: this } });
    return this;
  }
}
