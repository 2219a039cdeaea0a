/**
 * Message buffers handed to Watch transports and not yet taken, counted once
 * however many watchers share one: watchers at the same point are written the
 * same bytes, so what a crowd of stalled readers holds is a few buffers, not a
 * copy each. `bytes` is what the server really holds for its readers.
 */
export class InFlight {
  private readonly held = new Map<Buffer, number>();
  bytes = 0;

  hold(buffer: Buffer): void {
    const n = this.held.get(buffer) ?? 0;
    if (n === 0) this.bytes += buffer.length;
    this.held.set(buffer, n + 1);
  }

  release(buffer: Buffer): void {
    const n = this.held.get(buffer) ?? 0;
    if (n > 1) this.held.set(buffer, n - 1);
    else if (n === 1) {
      this.held.delete(buffer);
      this.bytes -= buffer.length;
    }
  }
}
