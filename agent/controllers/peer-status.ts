import { PeerState, type PeerSpec, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { rotateEndpoint, type EndpointChoice } from '../lib/endpoint-rotation.js';
import { computePeerState, type PeerStateName, type TimingProfile } from '../lib/peer-state.js';
import { ObservedEndpointKind, PeerProbeKind, PeerSpecKind, PeerStatusKind, type PeerProbe } from '../resources/kinds.js';
import type { PeerRuntime, WireGuardBackend } from '../wireguard/types.js';
import { exclusive } from './access.js';
import { relayedStatus } from './relayed-status.js';
import type { Controller } from './runtime.js';

/** What the controller remembers about one peer between runs. */
export interface PeerTrack {
  choice: EndpointChoice;
  lastRx?: number;
  lastRxGrowth?: number;
  state?: PeerStateName;
}

const STATE: Record<PeerStateName, PeerState> = { unknown: PeerState.PEER_STATE_UNKNOWN, up: PeerState.PEER_STATE_UP, down: PeerState.PEER_STATE_DOWN };
const STATE_NAME: Partial<Record<PeerState, PeerStateName>> = Object.fromEntries(Object.entries(STATE).map(([name, state]) => [state, name]));

/** One evaluation of a peer: its published status, the updated track and when to look again (undefined: on the tick). */
export interface PeerEvaluation {
  status: PeerStatus;
  track: PeerTrack;
  recheckAt?: number;
}

/**
 * Evaluates one peer: tracks rx growth, applies the state machine, rotates the endpoint when down.
 * A peer that was down stays down (not unknown) while its next candidate is tried: the table's
 * "unknown" is for a peer we know nothing about yet.
 */
export function evaluatePeer(
  profile: TimingProfile,
  spec: PeerSpec,
  runtime: PeerRuntime | undefined,
  previous: PeerTrack | undefined,
  now: number,
  probe: PeerProbe = {},
): PeerEvaluation {
  const track: PeerTrack = { ...(previous ?? { choice: { index: 0 } }) };
  if (runtime) {
    if (track.lastRx === undefined || runtime.rxBytes !== track.lastRx) track.lastRxGrowth = now;
    track.lastRx = runtime.rxBytes;
  }
  const observe = (choice: EndpointChoice) =>
    computePeerState(profile, {
      now,
      lastEndpointChange: choice.changedAt,
      lastHandshake: runtime?.lastHandshake,
      lastRxGrowth: track.lastRxGrowth,
      probeAnsweredAt: probe.answeredAt,
      probePendingSince: probe.pendingSince,
    });
  let verdict = observe(track.choice);
  const choice = rotateEndpoint(track.choice, { candidates: spec.endpoints, state: verdict.state, observed: runtime?.endpoint, now });
  if (choice.changedAt !== track.choice.changedAt) {
    const wasDown = verdict.state === 'down' || track.state === 'down';
    const why = verdict.state === 'down' ? `${verdict.reason}; ` : '';
    verdict = observe(choice);
    if (wasDown && verdict.state === 'unknown')
      verdict = { ...verdict, state: 'down', reason: `down (${why}trying ${choice.endpoint}, candidate ${choice.index + 1}/${spec.endpoints.length})` };
  } else if (track.state === 'down' && verdict.state === 'unknown') {
    verdict = { ...verdict, state: 'down', reason: `down; waiting for a handshake on ${choice.endpoint ?? 'no endpoint'}` };
  }
  track.choice = choice;
  track.state = verdict.state;
  const status: PeerStatus = {
    publicKey: spec.publicKey,
    label: spec.label,
    state: STATE[verdict.state],
    endpoint: choice.endpoint ?? '',
    lastHandshake: runtime?.lastHandshake === undefined ? undefined : new Date(runtime.lastHandshake),
    rxBytes: runtime?.rxBytes ?? 0,
    txBytes: runtime?.txBytes ?? 0,
    lastEndpointChange: choice.changedAt === undefined ? undefined : new Date(choice.changedAt),
    reason: verdict.reason,
  };
  return { status, track, recheckAt: nextLook(profile, verdict.state, choice, verdict.recheckAt, now) };
}

/**
 * When to evaluate the peer again without new input: at its next deadline when the profile does
 * that, and soon while a just-dialled peer awaits its first handshake (see `handshakePoll`).
 */
function nextLook(profile: TimingProfile, state: PeerStateName, choice: EndpointChoice, deadline: number | undefined, now: number): number | undefined {
  let at = profile.recheckAtDeadlines ? deadline : undefined;
  const poll = profile.handshakePoll;
  if (poll && state !== 'up' && choice.changedAt !== undefined && now - choice.changedAt < poll.forMs) {
    at = Math.min(at ?? Number.POSITIVE_INFINITY, now + poll.everyMs);
  }
  return at;
}

/**
 * Refreshes PeerStatus resources from WireGuard on spec and probe change, every `refreshMs` and at
 * each deadline, with the last measured round trip of peers that are up; what its probes saw (see
 * peerProbeController) decides how soon its silence means down, and a relayed peer's first answer
 * makes it up at once.
 */
export function peerStatusController(backend: WireGuardBackend, profile: TimingProfile): Controller {
  const tracks = new Map<string, PeerTrack>();
  /** When each relayed peer was first seen relayed. */
  const relayedSince = new Map<string, number>();
  return {
    name: 'peer-status',
    inputs: [PeerSpecKind, PeerProbeKind],
    outputs: [exclusive(PeerStatusKind), exclusive(ObservedEndpointKind)],
    intervalMs: profile.refreshMs,
    async run({ store, clock, requeueAt, log }) {
      const specs = store.list(PeerSpecKind);
      const device = specs.length ? await backend.readDevice() : undefined;
      const now = clock.now();
      const statuses: [string, PeerStatus][] = [];
      const observed: [string, { affiliateId: string; endpoint: string }][] = [];
      for (const { spec } of specs) {
        if (spec.viaPublicKey) continue;
        const runtime = device?.peers.get(spec.publicKey);
        const probe = store.get(PeerProbeKind, spec.publicKey)?.spec;
        const result = evaluatePeer(profile, spec, runtime, tracks.get(spec.publicKey), now, probe);
        tracks.set(spec.publicKey, result.track);
        const rtt = result.status.state === PeerState.PEER_STATE_UP ? probe?.rttMs : undefined;
        statuses.push([spec.publicKey, { ...result.status, rttMs: rtt }]);
        if (result.recheckAt !== undefined && result.recheckAt > now) requeueAt(result.recheckAt);
        if (result.status.state === PeerState.PEER_STATE_UP && runtime?.endpoint)
          observed.push([spec.publicKey, { affiliateId: spec.nodeId, endpoint: runtime.endpoint }]);
      }
      const direct = new Map(statuses);
      for (const { spec } of specs) {
        if (!spec.viaPublicKey) continue;
        const since = relayedSince.get(spec.publicKey) ?? now;
        relayedSince.set(spec.publicKey, since);
        const probe = store.get(PeerProbeKind, spec.publicKey)?.spec;
        const result = relayedStatus(profile, spec, direct.get(spec.viaPublicKey), probe?.answeredAt, since, now);
        const rtt = result.status.state === PeerState.PEER_STATE_UP ? probe?.rttMs : undefined;
        statuses.push([spec.publicKey, { ...result.status, rttMs: rtt }]);
        if (result.recheckAt !== undefined && result.recheckAt > now) requeueAt(result.recheckAt);
      }
      const relayed = new Set(specs.filter((s) => s.spec.viaPublicKey).map((s) => s.id));
      const dialled = new Set(specs.filter((s) => !s.spec.viaPublicKey).map((s) => s.id));
      for (const key of relayedSince.keys()) if (!relayed.has(key)) relayedSince.delete(key);
      for (const key of tracks.keys()) if (!dialled.has(key)) tracks.delete(key);
      for (const [key, status] of statuses) {
        const before = store.get(PeerStatusKind, key)?.spec.state ?? PeerState.PEER_STATE_UNKNOWN;
        if (status.state !== before)
          log.info('peer state changed', { peer: status.label, from: STATE_NAME[before], to: STATE_NAME[status.state], reason: status.reason });
      }
      store.replaceAll(PeerStatusKind, statuses);
      store.replaceAll(ObservedEndpointKind, observed);
    },
  };
}
