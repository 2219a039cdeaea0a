import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** How a log file is rotated: at `maxBytes`, keeping `keep` older files (`F.1` newest, `F.<keep>` oldest). */
export interface RotationPolicy {
  maxBytes: number;
  keep: number;
}

/** 10 MiB x 5: at most 60 MiB of logs per supervised service. */
export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 };

/**
 * An append-only log file (0600) that rotates itself by size while it is written: a line that
 * would take the file past `maxBytes` goes to a fresh file after `F` moves to `F.1` (and `F.1` to
 * `F.2`, up to `F.<keep>`, which is dropped). Writes are synchronous, so lines keep their order.
 */
export class RotatingLog {
  private fd: number | undefined;
  private size: number;

  constructor(
    readonly path: string,
    private readonly policy: RotationPolicy = DEFAULT_ROTATION,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Appends `chunk`, rotating between its lines when the next line would not fit; nothing once closed. */
  write(chunk: Buffer | string): void {
    if (this.fd === undefined) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let start = 0; start < bytes.length;) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline < 0 ? bytes.length : newline + 1;
      const fd = this.size > 0 && this.size + end - start > this.policy.maxBytes ? this.rotate() : this.fd;
      writeSync(fd, bytes, start, end - start);
      this.size += end - start;
      start = end;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private rotate(): number {
    this.close();
    rmSync(`${this.path}.${this.policy.keep}`, { force: true });
    for (let n = this.policy.keep - 1; n >= 1; n -= 1) {
      try {
        renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      } catch {
        // not that many files yet
      }
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
    return this.fd;
  }
}
