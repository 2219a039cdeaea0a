import { describe, expect, it } from 'vitest';
import { EndpointSource, PeerState, ResourceType, Severity, type PeerStatus, type Resource } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { pairCodes } from '../../contract/mesh.js';
import { agentView, AgentViewState, hostAddresses, MAX_PEERS_PER_AGENT, peerCode, type AgentPeer } from './agent-view.js';

const key = (n: number) => {
  const bytes = Buffer.alloc(32, 7);
  bytes.writeUInt32BE(n);
  return bytes.toString('base64');
};
const meta = (type: ResourceType, id: string) => ({ type, id, version: 1, updated: undefined });
const status = (n: number, extra: Partial<PeerStatus> = {}): Resource => ({
  metadata: meta(ResourceType.RESOURCE_TYPE_PEER_STATUS, key(n)),
  spec: {
    $case: 'peerStatus',
    value: {
      publicKey: key(n),
      label: `node-${n}`,
      state: PeerState.PEER_STATE_UP,
      endpoint: '198.18.1.11:51820',
      lastHandshake: new Date(1000),
      rxBytes: 10,
      txBytes: 20,
      lastEndpointChange: undefined,
      reason: '',
      rttMs: 1.25,
      ...extra,
    },
  },
});
const identity = (publicKey: string, address = 'fd7f:175a:b97c:5602::1'): Resource => ({
  metadata: meta(ResourceType.RESOURCE_TYPE_IDENTITY, 'local'),
  spec: {
    $case: 'identity',
    value: { nodeId: 'n1', publicKey, address, subnet: 'fd7f:175a:b97c:5602::/64', hostname: 'cloud1', linkName: 'eth0', linkMac: '', linkFallback: false },
  },
});
const endpoint = (address: string, order: number, source = EndpointSource.ENDPOINT_SOURCE_ADDRESS): Resource => ({
  metadata: meta(ResourceType.RESOURCE_TYPE_ENDPOINT, address),
  spec: { $case: 'endpoint', value: { address, source, order } },
});
const config = (mtu: number, discoveryEndpoints: string[]): Resource => ({
  metadata: meta(ResourceType.RESOURCE_TYPE_CONFIG, 'kubespan'),
  spec: {
    $case: 'config',
    value: {
      enabled: true,
      clusterId: 'c',
      mtu,
      allowDownPeerBypass: false,
      advertiseKubernetesNetworks: false,
      harvestExtraEndpoints: false,
      endpointFilters: [],
      excludeAdvertisedNetworks: [],
      extraAnnouncedEndpoints: [],
      discoveryEndpoints,
      podCidrs: [],
      wireguardBackend: 'kernel',
      timing: 'fast',
    },
  },
});
const warning = (code: string, text: string, evidence: Record<string, string> = {}): Resource => ({
  metadata: meta(ResourceType.RESOURCE_TYPE_HEALTH_WARNING, code),
  spec: { $case: 'healthWarning', value: { code, severity: Severity.SEVERITY_ERROR, text, evidence, since: undefined } },
});
const spec = (n: number, allowedIps: string[], endpoints: string[]): Resource => ({
  metadata: meta(ResourceType.RESOURCE_TYPE_PEER_SPEC, key(n)),
  spec: { $case: 'peerSpec', value: { publicKey: key(n), label: `node-${n}`, nodeId: `n${n}`, address: 'fd7f:175a:b97c:5602::2', allowedIps, endpoints } },
});

describe('the view of an agent', () => {
  it("turns a good agent's resources into one typed view", () => {
    const view = agentView([
      identity(key(1)),
      status(2),
      status(3, { state: PeerState.PEER_STATE_DOWN, reason: 'no handshake 15s after endpoint change' }),
      spec(2, ['fd7f:175a:b97c:5602::2/128', '10.244.1.0/24'], ['198.18.1.11:51820']),
      endpoint('203.0.113.7:51820', 1, EndpointSource.ENDPOINT_SOURCE_REFLECTED),
      endpoint('198.19.2.10:51820', 0),
      config(1420, ['https://discovery.example:3000/', 'bad host']),
      warning('PORT_51820_TAKEN', 'another process holds UDP 51820', { process: 'wg-quick' }),
    ]);
    expect(view.identity).toEqual({ publicKey: key(1), address: 'fd7f:175a:b97c:5602::1', hostname: 'cloud1' });
    expect(view.peers.get(key(2))).toEqual({
      publicKey: key(2),
      label: 'node-2',
      state: 1,
      endpoint: '198.18.1.11:51820',
      lastHandshakeMs: 1000,
      rx: 10,
      tx: 20,
      reason: null,
      rttMs: 1.25,
    });
    expect(view.peers.get(key(3))).toMatchObject({ state: 2, rttMs: null, reason: 'no handshake 15s after endpoint change' });
    expect(view.peerSpecs.get(key(2))).toMatchObject({ allowedIps: ['fd7f:175a:b97c:5602::2/128', '10.244.1.0/24'], endpoints: ['198.18.1.11:51820'] });
    expect(view.endpoints.map((e) => e.address)).toEqual(['198.19.2.10:51820', '203.0.113.7:51820']);
    expect(view.reflectedIp).toBe('203.0.113.7');
    expect(view.config).toEqual({ mtu: 1420, discovery: 'discovery.example:3000' });
    expect(view.warnings).toEqual([
      { code: 'PORT_51820_TAKEN', severity: 'error', text: 'another process holds UDP 51820', evidence: { process: 'wg-quick' } },
    ]);
    expect(view.refused).toEqual({ reasons: [], count: 0 });
  });

  it('keeps at most the cluster limit of peers and says why the rest were left out', () => {
    const view = agentView(Array.from({ length: MAX_PEERS_PER_AGENT + 76 }, (_, i) => status(i + 10)));
    expect(view.peers.size).toBe(MAX_PEERS_PER_AGENT);
    expect(view.refused).toEqual({ reasons: [`peer status: more than ${MAX_PEERS_PER_AGENT} from one agent; the rest are left out`], count: 76 });
  });

  it('refuses malformed keys with the reason', () => {
    const view = agentView([identity('short'), status(2, { publicKey: 'not-a-key' }), status(3, { publicKey: `${'A'.repeat(42)}==` })]);
    expect(view.identity).toBeNull();
    expect(view.peers.size).toBe(0);
    expect(view.refused.count).toBe(3);
    expect(view.refused.reasons).toEqual([
      'identity: the public key is not a WireGuard key (44 characters of base64); the resource is skipped',
      'peer status: the public key is not a WireGuard key (44 characters of base64); the resource is skipped',
    ]);
  });

  it('refuses or blanks bad addresses', () => {
    const view = agentView([
      identity(key(1), 'fd00::1; rm -rf /'),
      status(2, { endpoint: 'x:1; rm -rf', label: 'a b' }),
      endpoint('300.1.1.1:51820', 0),
      endpoint('198.18.1.1:70000', 1),
      spec(2, ['10.0.0.0/33', 'zz', '10.1.0.0/16'], ['[fe80::1]:1', 'nope']),
    ]);
    expect(view.identity?.address).toBeNull();
    expect(view.peers.get(key(2))).toMatchObject({ endpoint: null, label: '' });
    expect(view.endpoints).toEqual([]);
    expect(view.refused.reasons).toEqual(['endpoint: the address is not "ip:port" or "[ipv6]:port"; the resource is skipped']);
    expect(view.peerSpecs.get(key(2))).toMatchObject({ allowedIps: ['10.1.0.0/16'], endpoints: ['[fe80::1]:1'] });
    expect(hostAddresses(['10.0.0.5/24', '127.0.0.1/8', '::1/128', 'fd00::5/64', 'junk', '10.0.0.6'])).toEqual(['10.0.0.5/24', 'fd00::5/64']);
  });

  it('refuses a resource of a kind it does not know', () => {
    const unknown = { metadata: meta(99 as ResourceType, 'x'), spec: { $case: 'secret', value: {} } } as unknown as Resource;
    const view = agentView([unknown, { metadata: undefined, spec: undefined }]);
    expect(view.refused).toEqual({ reasons: ['a resource of a kind this desktop does not know was skipped'], count: 2 });
  });

  it('bounds oversized and unprintable strings', () => {
    const huge = 'A'.repeat(1 << 20);
    const view = agentView([
      status(2, { label: huge, reason: `line\u0000${'x'.repeat(300)}`, endpoint: `${huge}:1` }),
      endpoint(`198.18.1.1:51820${huge}`, 0),
      config(70_000, [huge]),
      warning('PORT_51820_TAKEN', huge, { [huge]: 'v', ok: huge }),
      warning('lower-case', 'x'),
    ]);
    const peer = view.peers.get(key(2));
    expect(peer).toMatchObject({ label: '', endpoint: null });
    expect(peer?.reason).toBe(`line?${'x'.repeat(195)}`);
    expect(view.endpoints).toEqual([]);
    expect(view.config).toEqual({ mtu: null, discovery: null });
    expect(view.warnings[0]?.text).toHaveLength(500);
    expect(view.warnings[0]?.evidence).toEqual({ ok: 'A'.repeat(200) });
    expect(view.refused.reasons).toContain('health warning: the code is not 1 to 64 of A-Z, 0-9 and _; the resource is skipped');
  });

  it('keeps plausible round trips of peers that are up only', () => {
    for (const rttMs of [undefined, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 120_000])
      expect(agentView([status(2, { rttMs })]).peers.get(key(2))?.rttMs).toBeNull();
    expect(agentView([status(2, { state: PeerState.PEER_STATE_DOWN })]).peers.get(key(2))?.rttMs).toBeNull();
  });

  it('follows upserts and deletes after a full list', () => {
    const state = new AgentViewState();
    state.reset([identity(key(1)), status(2), endpoint('198.19.2.10:51820', 0)]);
    expect(state.upsert(status(3))).toMatchObject({ kind: 'peer', peer: { publicKey: key(3) } });
    expect(state.upsert(identity(key(4)))).toMatchObject({ kind: 'identity', identity: { publicKey: key(4) } });
    expect(state.upsert(status(5, { publicKey: 'bad' }))).toBeNull();
    expect(state.remove({ metadata: meta(ResourceType.RESOURCE_TYPE_PEER_STATUS, key(2)), spec: undefined })).toBe(true);
    expect(state.remove({ metadata: meta(ResourceType.RESOURCE_TYPE_PEER_STATUS, key(9)), spec: undefined })).toBe(false);
    expect(state.remove({ metadata: meta(ResourceType.RESOURCE_TYPE_ENDPOINT, '198.19.2.10:51820'), spec: undefined })).toBe(true);
    const view = state.view();
    expect([...view.peers.keys()]).toEqual([key(3)]);
    expect(view.endpoints).toEqual([]);
    expect(view.identity?.publicKey).toBe(key(4));
    state.reset([]);
    expect(state.view()).toMatchObject({ identity: null, refused: { count: 0 } });
    expect(state.peerList()).toEqual([]);
  });

  it('reads a peer reached through a relay as relayed through that node while it is up, and by its own state otherwise', () => {
    const peers = agentView([
      status(1, { via: 'cloud1' }),
      status(2, { via: 'cloud1', state: PeerState.PEER_STATE_DOWN }),
      status(3),
      status(4, { via: 'bad label!' }),
    ]).peers;
    const peer = (n: number) => peers.get(key(n)) as AgentPeer;
    const [relayed, down, direct, malformed] = [peer(1), peer(2), peer(3), peer(4)];
    expect([relayed.via, peerCode(relayed)]).toEqual(['cloud1', pairCodes.relayed]);
    expect([down.via, peerCode(down)]).toEqual(['cloud1', pairCodes.down]);
    expect([direct.via, peerCode(direct)]).toEqual([undefined, pairCodes.up]);
    expect([malformed.via, peerCode(malformed)]).toEqual([undefined, pairCodes.up]);
  });
});
