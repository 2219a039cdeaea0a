import { keyHash, normalizeEndpoint } from './dump.js';
import type { CommandSpec } from '../system/command.js';
import { KUBESPAN, type DeviceConfig, type DeviceRuntime, type PeerConfig, type PeerRuntime } from './types.js';

/** Where the backend keeps the private key and PSK files (0600) that `wg set` reads. */
export interface KeyFiles {
  privateKey: string;
  presharedKey: string;
}

/** Peers per `wg set` invocation, to stay far below the argument size limit. */
const PEERS_PER_COMMAND = 200;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/** The `wg set` device arguments needed to reach the desired key, port and fwmark. */
export function planDevice(current: DeviceRuntime | undefined, desired: DeviceConfig, keys: KeyFiles): CommandSpec[] {
  const args: string[] = [];
  if (!current || current.privateKeyHash !== keyHash(desired.privateKey)) args.push('private-key', keys.privateKey);
  if (current?.listenPort !== desired.listenPort) args.push('listen-port', String(desired.listenPort));
  if (current?.fwmark !== KUBESPAN.wireguardMark) args.push('fwmark', `0x${KUBESPAN.wireguardMark.toString(16)}`);
  return args.length ? [{ argv: ['wg', 'set', KUBESPAN.link, ...args] }] : [];
}

/** The peer changes: what to remove, what to (re)configure, and which endpoints changed. */
export interface PeerDiff {
  remove: string[];
  upsert: PeerConfig[];
  /** Peers whose endpoint we set now; they get a keepalive kick so the handshake starts at once. */
  endpointChanged: string[];
  /** Existing peers that are re-created before their update (see PeerConfig.redial). */
  redial: string[];
}

function peerDiffers(now: PeerRuntime, want: PeerConfig, pskHash: string): boolean {
  return (
    now.presharedKeyHash !== pskHash ||
    now.keepaliveSec !== KUBESPAN.keepaliveSec ||
    (want.endpoint !== undefined && normalizeEndpoint(want.endpoint) !== now.endpoint) ||
    !sameList(now.allowedIps, want.allowedIps)
  );
}

/** Diffs peers by public key; with `full` every desired peer is re-sent (the naive baseline). */
export function diffPeers(current: ReadonlyMap<string, PeerRuntime>, desired: readonly PeerConfig[], presharedKey: string, full = false): PeerDiff {
  const pskHash = keyHash(presharedKey);
  const wanted = new Set(desired.map((p) => p.publicKey));
  const remove = [...current.keys()].filter((k) => !wanted.has(k));
  const upsert: PeerConfig[] = [];
  const endpointChanged: string[] = [];
  const redial: string[] = [];
  for (const want of desired) {
    const now = current.get(want.publicKey);
    if (!full && now && !peerDiffers(now, want, pskHash)) continue;
    upsert.push(want);
    if (want.endpoint !== undefined && normalizeEndpoint(want.endpoint) !== now?.endpoint) {
      endpointChanged.push(want.publicKey);
      if (now && want.redial) redial.push(want.publicKey);
    }
  }
  return { remove, upsert, endpointChanged, redial };
}

function peerArgs(peer: PeerConfig, keys: KeyFiles, keepaliveSec: number): string[] {
  const args = [
    'peer',
    peer.publicKey,
    'preshared-key',
    keys.presharedKey,
    'persistent-keepalive',
    String(keepaliveSec),
    'allowed-ips',
    peer.allowedIps.join(','),
  ];
  if (peer.endpoint !== undefined) args.push('endpoint', peer.endpoint);
  return args;
}

function chunked(args: string[][]): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (let i = 0; i < args.length; i += PEERS_PER_COMMAND) out.push({ argv: ['wg', 'set', KUBESPAN.link, ...args.slice(i, i + PEERS_PER_COMMAND).flat()] });
  return out;
}

/**
 * The `wg set` commands for a peer diff. A peer whose endpoint changed gets its keepalive set to 0
 * and back to 25 s: WireGuard sends a keepalive when it turns on, so the handshake to the new
 * endpoint starts now instead of at the next keepalive tick. A peer to redial is removed first, so
 * that handshake is not held back by the attempts made to its previous endpoint.
 */
export function planPeers(diff: PeerDiff, keys: KeyFiles): CommandSpec[] {
  const removals = [...diff.remove, ...diff.redial].map((k) => ['peer', k, 'remove']);
  const kicked = new Set(diff.endpointChanged);
  const updates = diff.upsert.map((p) => peerArgs(p, keys, kicked.has(p.publicKey) ? 0 : KUBESPAN.keepaliveSec));
  const kicks = diff.endpointChanged.map((k) => ['peer', k, 'persistent-keepalive', String(KUBESPAN.keepaliveSec)]);
  return [...chunked(removals), ...chunked(updates), ...chunked(kicks)];
}
