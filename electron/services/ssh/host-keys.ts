import { createHash } from 'node:crypto';
import { SpanwiseError } from '../../../agent/lib/errors.js';
import type { Db } from '../store/database.js';

/** OpenSSH-style fingerprint of a host key blob: `SHA256:<base64 without padding>`. */
export function hostKeyFingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** The key algorithm named inside an SSH public key blob (e.g. `ssh-ed25519`). */
export function hostKeyAlgorithm(key: Buffer): string {
  const length = key.length >= 4 ? key.readUInt32BE(0) : 0;
  return key.subarray(4, 4 + length).toString('latin1') || 'unknown';
}

/** How to treat a host key never seen before. */
export interface HostKeyDecision {
  /** Trust the key whatever it is (first use), and remember it. */
  trustOnFirstUse?: boolean;
  /** Trust the key only if it has this fingerprint, and remember it (other hops of the route stay unknown). */
  acceptFingerprint?: string;
}

/** Trusted host keys, by host and port. */
export class HostKeyStore {
  constructor(private readonly db: Db) {}

  get(host: string, port: number): { fingerprint: string; algorithm: string } | undefined {
    return this.db.prepare('SELECT fingerprint, algorithm FROM host_keys WHERE host = ? AND port = ?').get(host, port) as { fingerprint: string; algorithm: string } | undefined;
  }

  trust(host: string, port: number, algorithm: string, fingerprint: string): void {
    this.db
      .prepare('INSERT INTO host_keys (host, port, algorithm, fingerprint, trusted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(host, port) DO UPDATE SET algorithm = excluded.algorithm, fingerprint = excluded.fingerprint, trusted_at = excluded.trusted_at')
      .run(host, port, algorithm, fingerprint, new Date().toISOString());
  }

  forget(host: string, port: number): void {
    this.db.prepare('DELETE FROM host_keys WHERE host = ? AND port = ?').run(host, port);
  }

  /**
   * Decides on a presented key: a known key must match (a changed key is
   * refused with both fingerprints); an unknown one needs the user's decision.
   * Returns null when trusted, or the error to fail the connection with.
   */
  check(host: string, port: number, key: Buffer, decision: HostKeyDecision): SpanwiseError | null {
    const fingerprint = hostKeyFingerprint(key);
    const known = this.get(host, port);
    const where = `${host}:${port}`;
    if (known) {
      if (known.fingerprint === fingerprint) return null;
      return new SpanwiseError(
        'HOST_KEY_CHANGED',
        `the host key of ${where} changed: trusted ${known.fingerprint}, presented ${fingerprint}`,
        'this may be an attack; if the host was reinstalled, verify the new fingerprint out of band and forget the old key',
      );
    }
    if (decision.trustOnFirstUse || decision.acceptFingerprint === fingerprint) {
      this.trust(host, port, hostKeyAlgorithm(key), fingerprint);
      return null;
    }
    return new SpanwiseError('HOST_KEY_UNKNOWN', `the host key of ${where} is not trusted yet: ${fingerprint}`, `confirm it, e.g. --accept-host-key ${fingerprint} (or --trust-on-first-use)`);
  }
}
