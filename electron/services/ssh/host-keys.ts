import { createHash } from 'node:crypto';
import { SpanwiseError } from '../../../agent/shared/errors.js';
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

/**
 * Where a host key was presented: the host and port, and the jump hosts the
 * connection went through (`via`, empty for a direct one). The same private
 * address behind two jump hosts is two machines, with two keys.
 */
export interface HostKeyPlace {
  via: string;
  host: string;
  port: number;
}

/** The `via` of a hop reached through these jump hosts (outermost first). */
export const routeVia = (jumps: Array<{ host: string; port: number }>): string => jumps.map((j) => `${j.host}:${j.port}`).join(' > ');

const describePlace = (p: HostKeyPlace) => (p.via ? `${p.host}:${p.port} (via ${p.via})` : `${p.host}:${p.port}`);

/**
 * The details of HOST_KEY_UNKNOWN and HOST_KEY_CHANGED: the presented key's fingerprint, the
 * host:port it came from, the jump hosts on the way (`via`, absent for a direct connection),
 * and for a changed key the fingerprint trusted before.
 */
export type HostKeyDetails = {
  fingerprint: string;
  address: string;
  via?: string;
  trustedFingerprint?: string;
};

const hostKeyDetails = (p: HostKeyPlace, fingerprint: string, trustedFingerprint?: string): HostKeyDetails => ({
  fingerprint,
  address: `${p.host}:${p.port}`,
  ...(p.via ? { via: p.via } : {}),
  ...(trustedFingerprint ? { trustedFingerprint } : {}),
});

/** Trusted host keys, by route, host and port. */
export class HostKeyStore {
  constructor(private readonly db: Db) {}

  get(place: HostKeyPlace): { fingerprint: string; algorithm: string } | undefined {
    return this.db.prepare('SELECT fingerprint, algorithm FROM host_keys WHERE via = ? AND host = ? AND port = ?').get(place.via, place.host, place.port) as
      { fingerprint: string; algorithm: string } | undefined;
  }

  trust(place: HostKeyPlace, algorithm: string, fingerprint: string): void {
    this.db
      .prepare(
        'INSERT INTO host_keys (via, host, port, algorithm, fingerprint, trusted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(via, host, port) DO UPDATE SET algorithm = excluded.algorithm, fingerprint = excluded.fingerprint, trusted_at = excluded.trusted_at',
      )
      .run(place.via, place.host, place.port, algorithm, fingerprint, new Date().toISOString());
  }

  forget(place: HostKeyPlace): void {
    this.db.prepare('DELETE FROM host_keys WHERE via = ? AND host = ? AND port = ?').run(place.via, place.host, place.port);
  }

  /**
   * Decides on a presented key: a known key must match (a changed key is
   * refused with both fingerprints); an unknown one needs the user's decision.
   * Returns null when trusted, or the error to fail the connection with.
   */
  check(place: HostKeyPlace, key: Buffer, decision: HostKeyDecision): SpanwiseError | null {
    const fingerprint = hostKeyFingerprint(key);
    const known = this.get(place);
    const where = describePlace(place);
    if (known) {
      if (known.fingerprint === fingerprint) return null;
      return new SpanwiseError(
        'HOST_KEY_CHANGED',
        `the host key of ${where} changed: trusted ${known.fingerprint}, presented ${fingerprint}`,
        'this may be an attack; if the host was reinstalled, verify the new fingerprint out of band and forget the old key',
        hostKeyDetails(place, fingerprint, known.fingerprint),
      );
    }
    if (decision.trustOnFirstUse || decision.acceptFingerprint === fingerprint) {
      this.trust(place, hostKeyAlgorithm(key), fingerprint);
      return null;
    }
    return new SpanwiseError(
      'HOST_KEY_UNKNOWN',
      `the host key of ${where} is not trusted yet: ${fingerprint}`,
      `confirm it, e.g. --accept-host-key ${fingerprint} (or --trust-on-first-use)`,
      hostKeyDetails(place, fingerprint),
    );
  }
}
