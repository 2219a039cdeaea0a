import type { PeerStateName } from './peer-state.js';

/** Which candidate endpoint a peer is being dialled on. */
export interface EndpointChoice {
  /** Index into the candidate list of the endpoint last chosen by rotation. */
  index: number;
  /** The endpoint in use ("ip:port"); undefined when none. */
  endpoint?: string;
  /** T0: when we last set the endpoint; undefined when never. */
  changedAt?: number;
}

/** Inputs of one rotation step. */
export interface RotationInput {
  candidates: readonly string[];
  state: PeerStateName;
  /** The endpoint WireGuard reports now (it changes when the peer dials in from elsewhere). */
  observed?: string;
  now: number;
}

/**
 * One step of endpoint rotation, as in KubeSpan: the first candidate is dialled first; when the
 * peer is down the next candidate is tried (round robin); an endpoint learned from the peer
 * dialling in is kept while the peer is up; a chosen endpoint that left the candidate list is
 * replaced by the first candidate unless the peer is up.
 */
export function rotateEndpoint(choice: EndpointChoice, input: RotationInput): EndpointChoice {
  const { candidates, state, observed, now } = input;
  if (state === 'up') {
    return observed && observed !== choice.endpoint ? { ...choice, endpoint: observed } : choice;
  }
  if (candidates.length === 0) return observed && observed !== choice.endpoint ? { ...choice, endpoint: observed } : choice;
  const current = choice.endpoint === undefined ? -1 : candidates.indexOf(choice.endpoint);
  if (choice.changedAt === undefined || current < 0) {
    return { index: 0, endpoint: candidates[0], changedAt: now };
  }
  if (state === 'down') {
    const index = (current + 1) % candidates.length;
    return { index, endpoint: candidates[index], changedAt: now };
  }
  return choice;
}
