import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.js';
import { AffiliateRecord } from './affiliate-record.js';
import { InFlight } from './in-flight.js';
import { WatchFanout } from './watch-fanout.js';
import type { WatchSink } from './watcher.js';

/** A sink that keeps what it was written; `hold` keeps each write pending until `release`. */
class Sink implements WatchSink {
  readonly written: Buffer[] = [];
  private pending: (() => void) | undefined;

  constructor(private readonly hold: boolean) {}

  write(message: Buffer, done: () => void): void {
    this.written.push(message);
    if (this.hold) this.pending = done;
    else done();
  }

  release(): void {
    const done = this.pending;
    this.pending = undefined;
    done?.();
  }

  abort(): void {}
  cutOff(): void {}
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('watch fan-out', () => {
  it('starts a watcher that was still sending at a flush on that flush’s shared message as soon as its write completes', async () => {
    const affiliates = new Map<string, AffiliateRecord>();
    const record = new AffiliateRecord('a');
    record.apply(Buffer.from('one'), [], 60_000);
    affiliates.set('a', record);
    const options = { maxWatchLag: 100, maxMessageBytes: 1 << 20, flushIntervalMs: 1, maxFlushIntervalMs: 1 };
    const fanout = new WatchFanout(affiliates, options, new ManualClock(0), { affiliates: 1, watchers: 0, inFlight: new InFlight() });
    const fast = new Sink(false);
    const slow = new Sink(true);
    fanout.watch(fast);
    fanout.watch(slow);
    expect([fast.written.length, slow.written.length]).toEqual([1, 1]);

    record.apply(Buffer.from('two'), [], 60_000);
    fanout.changed('a');
    await tick();
    expect(fast.written).toHaveLength(2);
    expect(slow.written).toHaveLength(1);

    slow.release();
    expect(slow.written).toHaveLength(2);
    expect(slow.written[1]).toBe(fast.written[1]);
    slow.release();
    await tick();
    expect([fast.written.length, slow.written.length]).toEqual([2, 2]);
  });
});
