import { describe, expect, it } from 'vitest';
import { ManualClock, type Timers } from '../shared/clock.js';
import { silentLogger } from '../shared/log.js';
import type { ResourceKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { exclusive } from './access.js';
import { ControllerRuntime } from './runtime.js';

const A: ResourceKind<{ n: number }> = { name: 'a' };
const B: ResourceKind<{ n: number }> = { name: 'b' };

/** Timers that fire only when the test says so. */
function fakeTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: Timers = { set: (fn, ms) => (pending.push({ fn, ms }), pending.at(-1)), clear: (h) => void pending.splice(pending.indexOf(h as never), 1) };
  return { timers, pending };
}

describe('resource store', () => {
  it('versions changes, ignores equal writes and watches snapshot then deltas', () => {
    const store = new ResourceStore(new ManualClock());
    expect(store.upsert(A, 'x', { n: 1 })).toBe(true);
    expect(store.upsert(A, 'x', { n: 1 })).toBe(false);
    store.upsert(A, 'x', { n: 2 });
    expect(store.get(A, 'x')?.version).toBe(2);
    const seen: string[] = [];
    const stop = store.watch(['a'], (e) => seen.push(e.type === 'snapshot' ? `snapshot:${e.resources.length}` : `${e.type}:${e.resource.id}`));
    store.upsert(B, 'ignored', { n: 1 });
    store.replaceAll(A, [['y', { n: 1 }]]);
    stop();
    store.delete(A, 'y');
    expect(seen).toEqual(['snapshot:1', 'upserted:y', 'deleted:x']);
  });
});

describe('controller runtime', () => {
  it('runs controllers on input change until settled, chaining outputs to inputs', async () => {
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    const runtime = new ControllerRuntime(store, clock, silentLogger).add({
      name: 'double',
      inputs: [A],
      outputs: [exclusive(B)],
      run: ({ store: s }) => {
        for (const r of s.list(A)) s.upsert(B, r.id, { n: r.spec.n * 2 });
      },
    });
    store.upsert(A, 'x', { n: 21 });
    expect(await runtime.settle()).toBe(1);
    expect(store.get(B, 'x')?.spec.n).toBe(42);
    expect(await runtime.settle()).toBe(0);
  });

  it('schedules the next run at the interval or the requested deadline, and backs off after failures', async () => {
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    const { timers, pending } = fakeTimers();
    let runs = 0;
    let fail = false;
    const runtime = new ControllerRuntime(store, clock, silentLogger, timers).add({
      name: 'ticker',
      inputs: [],
      outputs: [],
      intervalMs: 30_000,
      run: ({ requeueAt }) => {
        runs += 1;
        requeueAt(clock.now() + 7_000);
        if (fail) throw new Error('boom');
      },
    });
    runtime.start();
    pending.shift()?.fn();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(1);
    expect(pending.map((p) => p.ms)).toEqual([7_000]);
    fail = true;
    pending.shift()?.fn();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(2);
    expect(pending.map((p) => p.ms)).toEqual([500]);
    await runtime.stop();
  });
});
