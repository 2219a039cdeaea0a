/** The time source; injected everywhere so tests never depend on real time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (tests, benchmarks). */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2025, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  set(ms: number): void {
    this.time = ms;
  }
}

/** How code waits for a delay; tests pass timers that fire only when told to. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Real timers that never keep the process alive on their own. */
export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, Math.max(0, ms)).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
