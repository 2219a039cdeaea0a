import { describe, expect, it } from 'vitest';
import { PeerState, Severity, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { HealthKind, PeerSpecKind, PeerStatusKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { ManualClock } from '../shared/clock.js';
import { VERSION } from '../shared/version.js';
import { agentMetrics } from './agent-metrics.js';

const KEY_A = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const KEY_B = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=';

function status(publicKey: string, label: string, extra: Partial<PeerStatus> = {}): PeerStatus {
  return {
    publicKey,
    label,
    state: PeerState.PEER_STATE_UP,
    endpoint: '198.51.100.7:51820',
    lastHandshake: new Date(1_700_000_000_500),
    rxBytes: 1234,
    txBytes: 5678,
    lastEndpointChange: new Date(1_699_999_990_000),
    reason: 'handshake 1s ago',
    rttMs: 12.5,
    ...extra,
  };
}

function meshStore(): ResourceStore {
  const store = new ResourceStore(new ManualClock());
  store.upsert(PeerSpecKind, KEY_A, {
    publicKey: KEY_A,
    label: 'cloud1',
    nodeId: 'n1',
    address: 'fd00::1',
    allowedIps: ['fd00::1/128', '10.244.1.0/24'],
    endpoints: [],
  });
  store.upsert(PeerSpecKind, KEY_B, { publicKey: KEY_B, label: 'edge1', nodeId: 'n2', address: 'fd00::2', allowedIps: ['fd00::2/128'], endpoints: [] });
  store.upsert(PeerStatusKind, KEY_A, status(KEY_A, 'cloud1'));
  store.upsert(
    PeerStatusKind,
    KEY_B,
    status(KEY_B, 'edge1', { state: PeerState.PEER_STATE_DOWN, lastHandshake: undefined, rxBytes: 0, txBytes: 148, rttMs: undefined }),
  );
  return store;
}

async function scrape(store: ResourceStore): Promise<string[]> {
  const metrics = agentMetrics(store, { interface: 'kubespan' });
  try {
    return (await metrics.registry.metrics()).split('\n');
  } finally {
    metrics.close();
  }
}

describe('agent metrics', () => {
  it('reports each peer under the WireGuard exporter names and labels, read from the store', async () => {
    const lines = await scrape(meshStore());
    const a = `interface="kubespan",public_key="${KEY_A}",allowed_ips="fd00::1/128,10.244.1.0/24"`;
    const b = `interface="kubespan",public_key="${KEY_B}",allowed_ips="fd00::2/128"`;
    expect(lines).toContain('# TYPE wireguard_sent_bytes_total counter');
    expect(lines).toContain(`wireguard_sent_bytes_total{${a}} 5678`);
    expect(lines).toContain(`wireguard_received_bytes_total{${a}} 1234`);
    expect(lines).toContain(`wireguard_latest_handshake_seconds{${a}} 1700000000`);
    expect(lines).toContain(`wireguard_sent_bytes_total{${b}} 148`);
    expect(lines).toContain(`wireguard_latest_handshake_seconds{${b}} 0`);
  });

  it('reports a peer reached through a relay with the relay in `via`, and no such series for a direct peer', async () => {
    const store = meshStore();
    const relayed = status(KEY_B, 'edge1', { endpoint: '', via: 'cloud1', reason: 'answered through cloud1 2s ago', rttMs: 31 });
    store.upsert(PeerStatusKind, KEY_B, relayed);
    let lines = await scrape(store);
    expect(lines).toContain('# TYPE spanwise_agent_peer_relayed gauge');
    expect(lines.filter((l) => l.startsWith('spanwise_agent_peer_relayed{'))).toEqual([
      `spanwise_agent_peer_relayed{public_key="${KEY_B}",label="edge1",via="cloud1"} 1`,
    ]);
    expect(lines).toContain(`spanwise_agent_peer_state{public_key="${KEY_B}",label="edge1",state="up"} 1`);
    expect(lines).toContain(`spanwise_agent_peer_rtt_seconds{public_key="${KEY_B}",label="edge1"} 0.031`);
    store.upsert(PeerStatusKind, KEY_B, { ...relayed, via: undefined });
    lines = await scrape(store);
    expect(lines.filter((l) => l.startsWith('spanwise_agent_peer_relayed{'))).toEqual([]);
  });

  it('reports peer state, round trip, health warnings by code, build and process info', async () => {
    const store = meshStore();
    const warning = { severity: Severity.SEVERITY_WARNING, text: 't', evidence: {}, since: new Date(0) };
    store.upsert(HealthKind, 'CLOCK_SKEW', { ...warning, code: 'CLOCK_SKEW' });
    store.upsert(HealthKind, 'PEER_ADDRESS_OVERLAP/a', { ...warning, code: 'PEER_ADDRESS_OVERLAP', severity: Severity.SEVERITY_ERROR });
    store.upsert(HealthKind, 'PEER_ADDRESS_OVERLAP/b', { ...warning, code: 'PEER_ADDRESS_OVERLAP', severity: Severity.SEVERITY_ERROR });
    const lines = await scrape(store);
    expect(lines).toContain(`spanwise_agent_peer_state{public_key="${KEY_A}",label="cloud1",state="up"} 1`);
    expect(lines).toContain(`spanwise_agent_peer_state{public_key="${KEY_A}",label="cloud1",state="down"} 0`);
    expect(lines).toContain(`spanwise_agent_peer_state{public_key="${KEY_B}",label="edge1",state="down"} 1`);
    expect(lines).toContain(`spanwise_agent_peer_rtt_seconds{public_key="${KEY_A}",label="cloud1"} 0.0125`);
    expect(lines.some((l) => l.startsWith(`spanwise_agent_peer_rtt_seconds{public_key="${KEY_B}"`))).toBe(false);
    expect(lines).toContain('spanwise_agent_health_warnings{code="CLOCK_SKEW",severity="warning"} 1');
    expect(lines).toContain('spanwise_agent_health_warnings{code="PEER_ADDRESS_OVERLAP",severity="error"} 2');
    expect(lines).toContain(`spanwise_agent_build_info{version="${VERSION}"} 1`);
    expect(lines.some((l) => /^process_resident_memory_bytes \d+$/.test(l))).toBe(true);
  });

  it('counts endpoint changes as they happen, and forgets a removed peer', async () => {
    const store = meshStore();
    const metrics = agentMetrics(store, { interface: 'kubespan' });
    const changes = async () => {
      const line = (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`spanwise_agent_peer_endpoint_changes_total{public_key="${KEY_A}"`));
      return line?.split(' ')[1];
    };
    store.upsert(PeerStatusKind, KEY_A, status(KEY_A, 'cloud1', { rxBytes: 99_999 }));
    expect(await changes()).toBeUndefined();
    store.upsert(PeerStatusKind, KEY_A, status(KEY_A, 'cloud1', { lastEndpointChange: new Date(1_700_000_001_000) }));
    store.upsert(PeerStatusKind, KEY_A, status(KEY_A, 'cloud1', { lastEndpointChange: new Date(1_700_000_002_000), rxBytes: 1 }));
    expect(await changes()).toBe('2');
    store.delete(PeerStatusKind, KEY_A);
    store.upsert(PeerStatusKind, KEY_A, status(KEY_A, 'cloud1', { lastEndpointChange: new Date(1_700_000_009_000) }));
    expect(await changes()).toBe('2');
    metrics.close();
    store.upsert(PeerStatusKind, KEY_A, status(KEY_A, 'cloud1', { lastEndpointChange: new Date(1_700_000_010_000) }));
    expect(await changes()).toBe('2');
  });
});
