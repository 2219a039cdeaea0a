import { Severity, type HealthWarning } from '../../proto/gen/spanwise/agent/v1/agent.js';
import type { ProblemCode } from '../shared/health-codes.js';
import { HealthKind } from './kinds.js';
import type { StoreHandle } from './store.js';

/** A warning as a controller reports it; `since` is kept by the store helper. */
export interface HealthReport {
  code: ProblemCode;
  /** Distinguishes several warnings of one code (e.g. a peer key); part of the id. */
  subject?: string;
  severity: 'info' | 'warning' | 'error';
  text: string;
  evidence?: Record<string, string>;
}

const SEVERITY: Record<HealthReport['severity'], Severity> = {
  info: Severity.SEVERITY_INFO,
  warning: Severity.SEVERITY_WARNING,
  error: Severity.SEVERITY_ERROR,
};

export function healthId(code: string, subject?: string): string {
  return subject ? `${code}/${subject}` : code;
}

/**
 * Replaces the warnings of the given codes with `reports`: new ones appear, gone ones are deleted,
 * and a warning that persists keeps its `since`. Each controller owns the codes it reports.
 */
export function reportHealth(store: StoreHandle, codes: readonly string[], reports: readonly HealthReport[], now: number): void {
  const wanted = new Map<string, HealthWarning>();
  for (const r of reports) {
    const id = healthId(r.code, r.subject);
    const since = store.get(HealthKind, id)?.spec.since ?? new Date(now);
    wanted.set(id, { code: r.code, severity: SEVERITY[r.severity], text: r.text, evidence: r.evidence ?? {}, since });
  }
  for (const [id, spec] of wanted) store.upsert(HealthKind, id, spec);
  for (const existing of store.list(HealthKind)) {
    if (codes.includes(existing.spec.code) && !wanted.has(existing.id)) store.delete(HealthKind, existing.id);
  }
}

/** The health codes the agent raises (registered in agent/shared/health-codes.ts, owner agent). */
export const HealthCode = {
  noPhysicalNic: 'NO_PHYSICAL_NIC',
  portTaken: 'PORT_51820_TAKEN',
  mtuTooLarge: 'MTU_ABOVE_UNDERLAY',
  discoveryUnreachable: 'DISCOVERY_UNREACHABLE',
  peerOverlap: 'PEER_ADDRESS_OVERLAP',
  relayRefused: 'RELAY_REFUSED',
  relayDataInvalid: 'RELAY_DATA_INVALID',
  clockSkew: 'CLOCK_SKEW',
  clockUnsynced: 'CLOCK_NOT_SYNCHRONIZED',
  wireguardFailed: 'WIREGUARD_APPLY_FAILED',
  discoveryDecrypt: 'DISCOVERY_UNDECRYPTABLE',
  linkLocal: 'LINK_LOCAL_ADDRESS',
  endpointRotation: 'ENDPOINT_ROTATION',
} as const satisfies Record<string, ProblemCode>;
