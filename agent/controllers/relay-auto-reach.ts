import { PeerState, type PeerSpec, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { rotateEndpoint, type EndpointChoice } from '../lib/endpoint-rotation.js';
import { PeerSpecKind, PeerStatusKind, RelayReachKind } from '../resources/kinds.js';
import type { PeerRuntime, WireGuardBackend } from '../wireguard/types.js';
import { exclusive } from './access.js';
import type { Controller } from './runtime.js';

/** Least time from one change of a peer's verdict to its next mark as unreachable, so a pair does not flap between direct and relayed. */
export const REACH_HOLD_MS = 30_000;
/** How long a relayed peer is dialled on one endpoint before the next (WireGuard resends an initiation after 5 s). */
export const RELAYED_DIAL_MS = 6_000;

/** A handshake this recent means the session is alive (WireGuard drops keys 180 s after their handshake). */
const FRESH_HANDSHAKE_MS = 150_000;

/** One peer's verdict: whether this node cannot reach it directly, and since when. */
export interface ReachTrack {
  unreachable: boolean;
  /** When the verdict last changed; -Infinity for a verdict that never changed. */
  changedAt: number;
}

/** What is seen of one peer: its direct state, or for a relayed peer its own WireGuard handshake. */
export type ReachSeen = { relayed: false; state: PeerState | undefined } | { relayed: true; lastHandshake: number | undefined };

/**
 * The next verdict: a direct peer that is down becomes unreachable, one that is up reachable; a
 * relayed peer becomes reachable once it completes a direct handshake after it became unreachable.
 * A peer is taken back at once, but marked unreachable only REACH_HOLD_MS after the verdict last
 * changed (so a pair moves to a relay at most once per REACH_HOLD_MS, and a peer that was down for
 * a moment at start is not kept relayed); `recheckAt` says when a held mark is due.
 */
export function nextReach(previous: ReachTrack | undefined, seen: ReachSeen, now: number): { track: ReachTrack; recheckAt?: number } {
  const track = previous ?? { unreachable: false, changedAt: Number.NEGATIVE_INFINITY };
  let want = track.unreachable;
  if (!seen.relayed) want = seen.state === PeerState.PEER_STATE_DOWN ? true : seen.state === PeerState.PEER_STATE_UP ? false : want;
  else if (track.unreachable && seen.lastHandshake !== undefined && seen.lastHandshake > track.changedAt) want = false;
  if (want === track.unreachable) return { track };
  if (want && now - track.changedAt < REACH_HOLD_MS) return { track, recheckAt: track.changedAt + REACH_HOLD_MS };
  return { track: { unreachable: want, changedAt: now } };
}

/**
 * The endpoint a relayed peer is dialled on: the one WireGuard learned while a direct handshake
 * is fresh, else the next candidate every RELAYED_DIAL_MS.
 */
export function relayedDial(choice: EndpointChoice, spec: PeerSpec, runtime: PeerRuntime | undefined, now: number): EndpointChoice {
  const fresh = runtime?.lastHandshake !== undefined && now - runtime.lastHandshake < FRESH_HANDSHAKE_MS;
  const due = choice.changedAt === undefined || now - choice.changedAt >= RELAYED_DIAL_MS;
  return rotateEndpoint(choice, { candidates: spec.endpoints, state: fresh ? 'up' : due ? 'down' : 'unknown', observed: runtime?.endpoint, now });
}

/**
 * Automatic relay mode: keeps RelayReach "local" from the peers' direct states and, for relayed
 * peers (still in WireGuard, with no allowed IPs), from their own handshakes, read from the link.
 */
export function relayReachController(backend: WireGuardBackend): Controller {
  const tracks = new Map<string, ReachTrack>();
  const dials = new Map<string, EndpointChoice>();
  return {
    name: 'relay-reach',
    inputs: [PeerSpecKind, PeerStatusKind],
    outputs: [exclusive(RelayReachKind)],
    intervalMs: 2_000,
    async run({ store, clock, requeueAt, log }) {
      const specs = store.list(PeerSpecKind).map((s) => s.spec);
      const statuses = new Map(store.list(PeerStatusKind).map((s): [string, PeerStatus] => [s.id, s.spec]));
      const dialled = specs.filter((s) => s.viaPublicKey && s.endpoints.length);
      const device = dialled.length ? await backend.readDevice() : undefined;
      const now = clock.now();
      const dial: Record<string, string> = {};
      for (const spec of specs) {
        const runtime = device?.peers.get(spec.publicKey);
        const seen: ReachSeen = spec.viaPublicKey
          ? { relayed: true, lastHandshake: runtime?.lastHandshake }
          : { relayed: false, state: statuses.get(spec.publicKey)?.state };
        const next = nextReach(tracks.get(spec.publicKey), seen, now);
        if (next.track.unreachable !== (tracks.get(spec.publicKey)?.unreachable ?? false))
          log.info(next.track.unreachable ? 'peer unreachable directly' : 'peer reachable directly', { peer: spec.label });
        tracks.set(spec.publicKey, next.track);
        if (next.recheckAt !== undefined) requeueAt(next.recheckAt);
        if (!spec.viaPublicKey || !spec.endpoints.length) continue;
        const choice = relayedDial(dials.get(spec.publicKey) ?? { index: 0 }, spec, runtime, now);
        dials.set(spec.publicKey, choice);
        if (choice.endpoint) dial[spec.publicKey] = choice.endpoint;
      }
      const keys = new Set(specs.map((s) => s.publicKey));
      for (const key of tracks.keys()) if (!keys.has(key)) tracks.delete(key);
      for (const key of dials.keys()) if (!dialled.some((s) => s.publicKey === key)) dials.delete(key);
      const unreachable = [...tracks].filter(([, t]) => t.unreachable).map(([k]) => k);
      store.upsert(RelayReachKind, 'local', { unreachable: unreachable.sort(), dial });
    },
  };
}
