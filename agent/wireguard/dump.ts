import { createHash } from 'node:crypto';
import { formatEndpoint, parseEndpoint } from '../shared/ip.js';
import type { DeviceRuntime, PeerRuntime } from './types.js';

/** A one-way fingerprint of a key, so state can be compared without keeping the secret. */
export function keyHash(key: string | undefined): string {
  if (!key || key === '(none)') return '';
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Normalizes "ip:port" (and "[v6]:port") so WireGuard's and ours compare equal. */
export function normalizeEndpoint(text: string | undefined): string | undefined {
  if (!text || text === '(none)') return undefined;
  const parsed = parseEndpoint(text);
  return parsed ? formatEndpoint(parsed) : text;
}

/** Parses `wg show <link> dump`; secrets are reduced to fingerprints right away. */
export function parseWgDump(text: string): DeviceRuntime | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const head = lines[0]?.split('\t');
  if (!head || head.length < 4) return undefined;
  const peers = new Map<string, PeerRuntime>();
  for (const line of lines.slice(1)) {
    const [publicKey = '', psk, endpoint, allowed = '', handshake = '0', rx = '0', tx = '0', keepalive = 'off'] = line.split('\t');
    peers.set(publicKey, {
      publicKey,
      presharedKeyHash: keyHash(psk),
      endpoint: normalizeEndpoint(endpoint),
      allowedIps: allowed === '(none)' || allowed === '' ? [] : allowed.split(','),
      lastHandshake: handshake === '0' ? undefined : Number(handshake) * 1000,
      rxBytes: Number(rx),
      txBytes: Number(tx),
      keepaliveSec: keepalive === 'off' ? 0 : Number(keepalive),
    });
  }
  return {
    privateKeyHash: keyHash(head[0]),
    publicKey: head[1] ?? '',
    listenPort: Number(head[2]),
    fwmark: head[3] === 'off' ? 0 : Number(head[3]),
    peers,
  };
}
