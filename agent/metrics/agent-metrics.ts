import { Counter, Gauge, Registry } from 'prom-client';
import { PeerState, Severity, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { HealthKind, PeerSpecKind, PeerStatusKind } from '../resources/kinds.js';
import type { ResourceStore } from '../resources/store.js';
import { addProcessMetrics } from './process-metrics.js';

const PEER_LABELS = ['interface', 'public_key', 'allowed_ips'] as const;
const STATE_LABELS = ['public_key', 'label'] as const;
const STATES: readonly [PeerState, string][] = [
  [PeerState.PEER_STATE_UP, 'up'],
  [PeerState.PEER_STATE_DOWN, 'down'],
  [PeerState.PEER_STATE_UNKNOWN, 'unknown'],
];
const SEVERITIES: Partial<Record<Severity, string>> = {
  [Severity.SEVERITY_INFO]: 'info',
  [Severity.SEVERITY_WARNING]: 'warning',
  [Severity.SEVERITY_ERROR]: 'error',
};

/** The agent's metrics and what keeps the counters that are not in the store. */
export interface AgentMetrics {
  registry: Registry;
  /** Stops following the store. */
  close(): void;
}

/**
 * The agent's Prometheus registry. Every value is read from the resource store when scraped (no
 * work between scrapes) except endpoint changes, which are counted as PeerStatus changes arrive.
 * Per peer, the WireGuard exporter's names and labels (`wireguard_*` with interface, public_key,
 * allowed_ips); then `spanwise_agent_*`: peer state, round trip, the relay of a relayed peer, endpoint changes, health
 * warnings by code, build info, and the process metrics.
 */
export function agentMetrics(store: ResourceStore, options: { interface: string }): AgentMetrics {
  const registry = new Registry();
  const registers = [registry];
  const peers = () => {
    const specs = new Map(store.list(PeerSpecKind).map((s) => [s.id, s.spec]));
    return store.list(PeerStatusKind).map(({ id, spec: status }) => ({
      status,
      labels: { interface: options.interface, public_key: status.publicKey, allowed_ips: (specs.get(id)?.allowedIps ?? []).join(',') },
    }));
  };
  new Counter({
    name: 'wireguard_sent_bytes_total',
    help: 'Bytes sent to the peer.',
    labelNames: PEER_LABELS,
    registers,
    collect() {
      this.reset();
      for (const p of peers()) this.inc(p.labels, p.status.txBytes);
    },
  });
  new Counter({
    name: 'wireguard_received_bytes_total',
    help: 'Bytes received from the peer.',
    labelNames: PEER_LABELS,
    registers,
    collect() {
      this.reset();
      for (const p of peers()) this.inc(p.labels, p.status.rxBytes);
    },
  });
  new Gauge({
    name: 'wireguard_latest_handshake_seconds',
    help: 'UNIX time of the latest handshake with the peer, 0 when none.',
    labelNames: PEER_LABELS,
    registers,
    collect() {
      this.reset();
      for (const p of peers()) this.set(p.labels, Math.floor((p.status.lastHandshake?.getTime() ?? 0) / 1000));
    },
  });
  new Gauge({
    name: 'spanwise_agent_peer_state',
    help: 'The state of each peer: 1 for the state it is in, 0 for the others.',
    labelNames: [...STATE_LABELS, 'state'],
    registers,
    collect() {
      this.reset();
      for (const { spec } of store.list(PeerStatusKind))
        for (const [value, state] of STATES) this.set({ public_key: spec.publicKey, label: spec.label, state }, spec.state === value ? 1 : 0);
    },
  });
  new Gauge({
    name: 'spanwise_agent_peer_rtt_seconds',
    help: 'Last measured round trip to the peer through the mesh (peers that are up).',
    labelNames: STATE_LABELS,
    registers,
    collect() {
      this.reset();
      for (const { spec } of store.list(PeerStatusKind))
        if (spec.rttMs !== undefined) this.set({ public_key: spec.publicKey, label: spec.label }, spec.rttMs / 1000);
    },
  });
  new Gauge({
    name: 'spanwise_agent_peer_relayed',
    help: 'Peers reached through a relay node: 1, with the relay in `via` (its label); direct peers are absent.',
    labelNames: [...STATE_LABELS, 'via'],
    registers,
    collect() {
      this.reset();
      for (const { spec } of store.list(PeerStatusKind)) if (spec.via) this.set({ public_key: spec.publicKey, label: spec.label, via: spec.via }, 1);
    },
  });
  const endpointChanges = new Counter({
    name: 'spanwise_agent_peer_endpoint_changes_total',
    help: 'Times the agent moved a peer to another endpoint.',
    labelNames: STATE_LABELS,
    registers,
  });
  new Gauge({
    name: 'spanwise_agent_health_warnings',
    help: 'Health warnings the agent reports now, by code and severity.',
    labelNames: ['code', 'severity'],
    registers,
    collect() {
      this.reset();
      for (const { spec } of store.list(HealthKind)) this.inc({ code: spec.code, severity: SEVERITIES[spec.severity] ?? 'unknown' });
    },
  });
  addProcessMetrics(registry, 'spanwise_agent');
  const lastChange = new Map<string, number | undefined>();
  const unsubscribe = store.subscribe(({ type, resource }) => {
    if (resource.kind !== PeerStatusKind) return;
    if (type === 'deleted') {
      lastChange.delete(resource.id);
      return;
    }
    const spec = resource.spec as PeerStatus;
    const before = lastChange.get(resource.id);
    const at = spec.lastEndpointChange?.getTime();
    lastChange.set(resource.id, at);
    if (before !== undefined && at !== before) endpointChanges.inc({ public_key: spec.publicKey, label: spec.label });
  });
  return { registry, close: unsubscribe };
}
