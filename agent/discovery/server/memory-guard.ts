import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { exhausted } from './limits.js';

/** One reading of the process's memory use, in bytes. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  /** The V8 heap's hard limit: reaching it kills the process whatever the RSS. */
  heapLimit: number;
}

/** What the status page and metrics show. */
export interface MemoryStatus {
  rssBytes: number;
  limitBytes: number;
  over: boolean;
}

const DEFAULT_CEILING = 1 << 30;
const RESAMPLE_MS = 100;
const RESUME_FRACTION = 0.9;
const HEAP_FRACTION = 0.85;

/** 1 GiB, or 80% of the memory the process may use when a cgroup (e.g. systemd MemoryMax) allows less. */
export function defaultMemoryLimit(): number {
  const constrained = process.constrainedMemory();
  const ceiling = constrained > 0 && constrained < totalmem() ? constrained : totalmem();
  return Math.min(DEFAULT_CEILING, Math.floor(ceiling * 0.8));
}

export function readMemory(): MemoryReading {
  const heap = process.memoryUsage();
  return { rss: heap.rss, heapUsed: heap.heapUsed, heapLimit: getHeapStatistics().heap_size_limit };
}

const mib = (n: number) => Math.round(n / (1 << 20));

/**
 * Refuses new state while the process uses more memory than its limit, so a flood
 * is answered with RESOURCE_EXHAUSTED instead of the process being killed. Memory
 * is read on a timer and at most every 100 ms when state is asked for; once over,
 * new state is taken again when use falls under 90% of the limit.
 */
export class MemoryGuard {
  private over = false;
  private sampledAt = Number.NEGATIVE_INFINITY;
  private last: MemoryReading = { rss: 0, heapUsed: 0, heapLimit: Number.POSITIVE_INFINITY };

  constructor(
    readonly limitBytes: number,
    private readonly read: () => MemoryReading = readMemory,
  ) {}

  /** Reads memory use now. */
  sample(): void {
    this.last = this.read();
    this.sampledAt = performance.now();
    const { rss, heapUsed, heapLimit } = this.last;
    if (rss >= this.limitBytes || heapUsed >= heapLimit * HEAP_FRACTION) this.over = true;
    else if (rss < this.limitBytes * RESUME_FRACTION && heapUsed < heapLimit * HEAP_FRACTION * RESUME_FRACTION) this.over = false;
  }

  /** Throws RESOURCE_EXHAUSTED while over the limit; `what` names what was refused. */
  check(what: string): void {
    if (performance.now() - this.sampledAt >= RESAMPLE_MS) this.sample();
    if (this.over) {
      throw exhausted(`discovery server memory is at ${mib(this.last.rss)} MiB (limit ${mib(this.limitBytes)} MiB); not taking ${what} until it falls`);
    }
  }

  status(): MemoryStatus {
    return { rssBytes: this.last.rss, limitBytes: this.limitBytes, over: this.over };
  }
}
