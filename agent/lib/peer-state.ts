/** A peer's state, with the same meaning as Talos KubeSpan's PeerStatus.state. */
export type PeerStateName = 'unknown' | 'up' | 'down';

/** The timings of the peer state machine; `talos` reproduces Talos, `fast` is Spanwise's default. */
export interface TimingProfile {
  name: 'fast' | 'talos';
  /** How often statuses are refreshed when no input changed. */
  refreshMs: number;
  /** After an endpoint change, no handshake within this long means down. */
  endpointConnectionTimeoutMs: number;
  /** No handshake for this long means down. */
  peerDownIntervalMs: number;
  /**
   * Down when nothing was received from the peer for this long although a handshake is recent.
   * Every KubeSpan peer sends a keepalive each 25 s, so silence means it is gone. Undefined: rule off.
   */
  rxStallMs?: number;
  /**
   * Down when nothing was received for this long from a peer that answers probes (one answered in the
   * last PROBE_MEMORY_MS), once a probe sent after the silence began has had PROBE_GRACE_MS to come
   * back: an idle peer is probed every few seconds, so a live one is never silent this long, and a
   * busy one that fell quiet is not judged before its next probe. Undefined: rule off.
   */
  probedStallMs?: number;
  /**
   * Down when nothing was received for this long since a probe was sent, answered or not: WireGuard
   * answers any data packet with at least a keepalive within 10 s, so a live peer, even one whose
   * firewall drops the probe, is never silent this long after one. Covers a peer that died before it
   * answered a first probe (a just-restarted observer has none on record). Undefined: rule off.
   */
  sentStallMs?: number;
  /**
   * Whether the controller re-evaluates a peer at the instant its state can change (endpoint timeout,
   * stall, down interval). Talos does not: it looks only on its tick and on input changes.
   */
  recheckAtDeadlines: boolean;
  /**
   * Whether traffic received after an endpoint change counts like a handshake after it: WireGuard
   * accepts only authenticated packets, so any of them proves the peer alive, and re-dialling a peer
   * whose session is fresh brings no handshake for up to two minutes. Talos looks at handshakes only.
   */
  upOnRxAfterChange: boolean;
  /**
   * While a just-dialled peer has no handshake yet, look again every `everyMs` for `forMs` after the
   * endpoint change, so a handshake that completes in milliseconds is reported as soon as it happens.
   * Undefined: wait for the tick (Talos).
   */
  handshakePoll?: { everyMs: number; forMs: number };
}

/** Talos's values: a 30 s tick, 15 s per endpoint, 275 s (180 + 5 + 90) to call a peer down. */
export const TALOS_TIMING: TimingProfile = {
  name: 'talos',
  refreshMs: 30_000,
  endpointConnectionTimeoutMs: 15_000,
  peerDownIntervalMs: 275_000,
  recheckAtDeadlines: false,
  upOnRxAfterChange: false,
};

/**
 * Spanwise's values: the same 275 s handshake rule, plus a dead peer is seen from missing traffic:
 * 10 s of silence from a peer that answers probes (an idle one is probed every 3 s, so that is three
 * unanswered probes; at least 3 s after the first of them), 15 s after a probe that brought nothing back (WireGuard's 10 s keepalive
 * timeout plus its 5 s rekey timeout, after which WireGuard itself gives the session up), 40 s from
 * one that is not probed (its keepalive is every 25 s, plus one handshake retry and margin). A
 * dialled endpoint candidate gets 4 s: a live endpoint answers the handshake
 * that setting it sends within a round trip, so a 4 s wait leaves a dead one before WireGuard's own
 * 5 s retry.
 */
export const FAST_TIMING: TimingProfile = {
  name: 'fast',
  refreshMs: 3_000,
  endpointConnectionTimeoutMs: 4_000,
  peerDownIntervalMs: 275_000,
  rxStallMs: 40_000,
  probedStallMs: 10_000,
  sentStallMs: 15_000,
  recheckAtDeadlines: true,
  upOnRxAfterChange: true,
  handshakePoll: { everyMs: 200, forMs: 2_000 },
};

export function timingProfile(name: 'fast' | 'talos'): TimingProfile {
  return name === 'talos' ? TALOS_TIMING : FAST_TIMING;
}

/** What the state machine looks at for one peer; times in ms since the epoch. */
export interface PeerObservation {
  now: number;
  /** T0: when the endpoint was last changed by us; undefined when none was ever dialled. */
  lastEndpointChange?: number;
  /** WireGuard's latest handshake; undefined when never. */
  lastHandshake?: number;
  /** When the received byte counter last grew (or was first seen); undefined when not tracked. */
  lastRxGrowth?: number;
  /** When a probe through the mesh was last answered; undefined when never. */
  probeAnsweredAt?: number;
  /** When the first probe since the peer was last heard from was sent; undefined when none is pending. */
  probePendingSince?: number;
}

/** How long after its last answered probe a peer still counts as one that answers them. */
export const PROBE_MEMORY_MS = 60_000;

/** How long a probe has to come back before its silence counts (a probe itself gives up after 2 s). */
export const PROBE_GRACE_MS = 3_000;

/** The state, why, and when it may change without new input. */
export interface PeerVerdict {
  state: PeerStateName;
  reason: string;
  /** The next instant at which re-evaluating can give another answer. */
  recheckAt?: number;
}

const secs = (ms: number) => `${Math.round(ms / 1000)}s`;

/**
 * Whether a handshake happened at or after T0. WireGuard reports handshakes in whole seconds
 * (truncated), so one in the same second as T0 counts: comparing milliseconds would call a
 * handshake that followed the endpoint change by a few ms "before" it.
 */
export function handshakeAfter(handshake: number | undefined, t0: number): boolean {
  return handshake !== undefined && handshake >= Math.floor(t0 / 1000) * 1000;
}

function handshakeRule(p: TimingProfile, o: PeerObservation): PeerVerdict {
  const t0 = o.lastEndpointChange;
  const hs = o.lastHandshake;
  if (t0 === undefined || o.now - t0 >= p.peerDownIntervalMs) {
    if (hs !== undefined && o.now - hs < p.peerDownIntervalMs) {
      return { state: 'up', reason: `handshake ${secs(o.now - hs)} ago`, recheckAt: hs + p.peerDownIntervalMs };
    }
    if (t0 === undefined) return { state: 'unknown', reason: 'no endpoint dialled yet' };
    return { state: 'down', reason: hs === undefined ? 'no handshake ever' : `no handshake for ${secs(o.now - hs)}` };
  }
  if (hs !== undefined && handshakeAfter(hs, t0))
    return { state: 'up', reason: `handshake ${secs(o.now - hs)} ago, after the endpoint change`, recheckAt: t0 + p.peerDownIntervalMs };
  if (p.upOnRxAfterChange && hs !== undefined && o.lastRxGrowth !== undefined && o.lastRxGrowth > t0)
    return { state: 'up', reason: `received ${secs(o.now - o.lastRxGrowth)} ago, after the endpoint change`, recheckAt: t0 + p.peerDownIntervalMs };
  if (o.now - t0 < p.endpointConnectionTimeoutMs) {
    return { state: 'unknown', reason: `waiting for a handshake (${secs(o.now - t0)} since endpoint change)`, recheckAt: t0 + p.endpointConnectionTimeoutMs };
  }
  return { state: 'down', reason: `no handshake ${secs(p.endpointConnectionTimeoutMs)} after endpoint change`, recheckAt: t0 + p.peerDownIntervalMs };
}

/** The silence rules that apply to an up peer: when each says down, and why. */
function stallDeadlines(profile: TimingProfile, obs: PeerObservation, lastActivity: number): { at: number; why: string }[] {
  const deadlines: { at: number; why: string }[] = [];
  if (profile.rxStallMs !== undefined) deadlines.push({ at: lastActivity + profile.rxStallMs, why: 'keepalive is every 25s' });
  const pending = obs.probePendingSince !== undefined && obs.probePendingSince > lastActivity ? obs.probePendingSince : undefined;
  if (pending === undefined) return deadlines;
  const answersProbes = obs.probeAnsweredAt !== undefined && obs.now - obs.probeAnsweredAt < PROBE_MEMORY_MS;
  if (profile.probedStallMs !== undefined && answersProbes)
    deadlines.push({ at: Math.max(lastActivity + profile.probedStallMs, pending + PROBE_GRACE_MS), why: 'its probes went unanswered' });
  if (profile.sentStallMs !== undefined)
    deadlines.push({ at: pending + profile.sentStallMs, why: `nothing came back ${secs(profile.sentStallMs)} after a probe` });
  return deadlines;
}

/**
 * The peer state machine (Talos's rules, with its timings as parameters):
 * more than the down interval since T0: up when the last handshake is younger than it, else down;
 * under the endpoint timeout since T0: up when a handshake followed T0, else unknown; between:
 * up when a handshake followed T0, else down. Down with no endpoint ever dialled is unknown.
 * With `rxStallMs`, an up peer that sent nothing for that long (not even its keepalive) is down;
 * with `probedStallMs`, one that answers probes is down after that shorter silence once a probe
 * sent in it went unanswered; with `sentStallMs`, one that sent nothing back that long after a
 * probe is down. With `upOnRxAfterChange`, traffic after an endpoint change counts as a handshake.
 */
export function computePeerState(profile: TimingProfile, obs: PeerObservation): PeerVerdict {
  const verdict = handshakeRule(profile, obs);
  if (verdict.state !== 'up' || obs.lastRxGrowth === undefined) return verdict;
  const lastActivity = Math.max(obs.lastRxGrowth, obs.lastHandshake ?? 0);
  const deadlines = stallDeadlines(profile, obs, lastActivity);
  const passed = deadlines.filter((d) => obs.now >= d.at).sort((a, b) => a.at - b.at)[0];
  if (passed) return { state: 'down', reason: `nothing received for ${secs(obs.now - lastActivity)} (${passed.why})`, recheckAt: verdict.recheckAt };
  const next = Math.min(verdict.recheckAt ?? Number.POSITIVE_INFINITY, ...deadlines.map((d) => d.at));
  return { ...verdict, recheckAt: Number.isFinite(next) ? next : undefined };
}
