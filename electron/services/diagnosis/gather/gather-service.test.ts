import { describe, expect, it } from 'vitest';
import { EndpointSource, PeerState, ResourceType, type Resource } from '../../../../proto/gen/spanwise/agent/v1/agent.js';
import type { MachineAgent } from '../../agents/connect-machine.js';
import { labHostRuleset } from '../../../../test/support/diagnosis-fixtures/builders.js';
import { diagnose } from '../diagnose.js';
import { EvidenceGatherer, type GatherNode } from './gather-service.js';

const key = (c: string) => `${c.repeat(43)}=`;
type Cb = (error: null, response: unknown) => void;

/** A simulated node: its agent answers from tables; its root shell answers the host report and the arrival counter. */
function simNode(name: string, ip: string, other: { name: string; ip: string }, opts: { nft: string }): GatherNode {
  const resources: Resource[] = [
    {
      metadata: { type: ResourceType.RESOURCE_TYPE_IDENTITY, id: 'local', version: 1, updated: undefined },
      spec: {
        $case: 'identity',
        value: {
          nodeId: name,
          publicKey: key(name[5] as string),
          address: 'fd00::1',
          subnet: '',
          hostname: name,
          linkName: 'eth0',
          linkMac: '',
          linkFallback: false,
        },
      },
    },
    {
      metadata: { type: ResourceType.RESOURCE_TYPE_ENDPOINT, id: `${ip}:51820`, version: 1, updated: undefined },
      spec: { $case: 'endpoint', value: { address: `${ip}:51820`, source: EndpointSource.ENDPOINT_SOURCE_ADDRESS, order: 0 } },
    },
    {
      metadata: { type: ResourceType.RESOURCE_TYPE_PEER_STATUS, id: 'p', version: 1, updated: undefined },
      spec: {
        $case: 'peerStatus',
        value: {
          publicKey: key(other.name[5] as string),
          label: other.name,
          state: PeerState.PEER_STATE_UP,
          endpoint: `${other.ip}:51820`,
          lastHandshake: new Date(1000),
          rxBytes: 10,
          txBytes: 10,
          lastEndpointChange: undefined,
          reason: '',
        },
      },
    },
  ];
  const client = {
    listResources: (_req: unknown, _md: unknown, _opts: unknown, cb: Cb) => cb(null, { resources }),
    probe: (req: { protocol: number; host: string; port: number }, _md: unknown, _opts: unknown, cb: Cb) =>
      cb(null, { reachable: req.protocol === 1, rttMs: 1, error: req.protocol === 1 ? '' : 'timeout', observedSource: '' }),
    openResponder: (_req: unknown, _md: unknown, _opts: unknown, cb: Cb) => cb(null, { opened: false, error: 'EADDRINUSE' }),
  };
  const agent: MachineAgent = {
    connection: { client, via: 'direct', facts: { addresses: [`${ip}/16`] }, close: async () => undefined } as unknown as MachineAgent['connection'],
    lost: new Promise(() => undefined),
    close: async () => undefined,
  };
  return {
    name,
    site: 'cloud',
    sshHost: ip,
    agent: async () => agent,
    rootShell: async () => ({
      close: () => undefined,
      exec: async (script: string) => {
        if (script.includes('### nft'))
          return { code: 0, stdout: `### nft\n${opts.nft}\n### mtu\neth0 1500\n### route\ndefault via 198.18.0.1 dev eth0\n`, stderr: '' };
        if (script.includes('nft list table inet spanwise_probe'))
          return { code: 0, stdout: `  ip saddr { ${other.ip} } udp dport 51820 counter packets 3 bytes 99 comment "from-${other.name}"\n`, stderr: '' };
        return { code: 0, stdout: '', stderr: '' };
      },
    }),
  };
}

describe('EvidenceGatherer with simulated agents and hosts', () => {
  it("assembles evidence: the firewall read over SSH, TCP probes, arrivals counted but dropped by the host's own rule", async () => {
    const a = { name: 'cloud1', ip: '198.18.1.10' };
    const b = { name: 'cloud2', ip: '198.18.1.11' };
    const nodes = [simNode(a.name, a.ip, b, { nft: '' }), simNode(b.name, b.ip, a, { nft: labHostRuleset('udp dport 51820 drop') })];
    const evidence = await new EvidenceGatherer({ desktopTcp: async () => ({ reachable: true }) }).gather(nodes, '198.18.0.2:3000');
    const pair = (from: string, to: string) => evidence.pairs.find((p) => p.from === from && p.to === to);
    expect(pair('cloud1', 'cloud2')).toMatchObject({ udp51820: 'blocked', tcp50000: 'open', peer: { state: 'up', endpoint: '198.18.1.11:51820' } });
    expect(pair('cloud2', 'cloud1')?.udp51820).toBe('open');
    const cloud2 = evidence.nodes.find((n) => n.name === 'cloud2');
    expect(cloud2).toMatchObject({ linkMtu: 1500, endpoints: ['198.18.1.11:51820'], discovery: { target: '198.18.0.2:3000', reachable: true } });
    expect(cloud2?.firewall?.udp51820.rule).toContain('udp dport 51820 drop');
    expect(diagnose(evidence).map((f) => [f.id, f.where])).toContainEqual(['UDP_51820_INBOUND_BLOCKED:cloud2', 'host']);
  });
});
