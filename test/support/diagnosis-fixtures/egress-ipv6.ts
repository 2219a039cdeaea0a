import type { Evidence, PairEvidence, Reach } from '../../../electron/services/diagnosis/evidence.js';
import { simNode, simPairs, upView, type NodeSpec } from './builders.js';

const endpointOf = (s: NodeSpec) => `${s.behind?.publicIp ?? s.address.split('/')[0]}:51820`;

function build(
  specs: NodeSpec[],
  udp: (from: string, to: string) => Reach,
  tcp: (from: string, to: string) => Reach,
  ipv6?: (from: string, to: string) => PairEvidence['ipv6'],
): Evidence {
  const observers = specs.filter((s) => !s.behind).map((s) => s.name);
  return {
    nodes: specs.map((s) =>
      simNode(
        s,
        observers.filter((o) => o !== s.name),
      ),
    ),
    pairs: simPairs(
      specs.map((s) => s.name),
      { udp, tcp, peer: (_from, to) => upView(endpointOf(specs.find((s) => s.name === to) as NodeSpec)), ...(ipv6 ? { ipv6 } : {}) },
    ),
  };
}

/**
 * egress (test/lab/scenarios/egress.ts): dc1 behind dc-gw, which forwards UDP 51820 and TCP 50000 to it
 * but drops new outbound UDP 51820; edge1 behind a port-preserving NAT. Every pair is up: the peers dial dc1.
 */
export function egressEvidence(): Evidence {
  const specs: NodeSpec[] = [
    { name: 'cloud1', site: 'cloud', address: '198.18.1.10/16' },
    { name: 'cloud2', site: 'cloud', address: '198.18.1.11/16' },
    {
      name: 'dc1',
      site: 'datacenter',
      address: '198.19.2.10/24',
      behind: { publicIp: '198.18.2.1', ports: [51823, 51823] },
      desktopApi: [
        { target: '198.19.2.10:50000', reachable: false, error: 'ECONNREFUSED' },
        { target: '198.18.2.1:50000', reachable: true },
      ],
    },
    {
      name: 'edge1',
      site: 'edge',
      address: '198.19.3.10/24',
      behind: { publicIp: '198.18.3.1', ports: [51823, 51823] },
      agentVia: 'ssh-tunnel',
      desktopApi: [{ target: '198.19.3.10:50000', reachable: false, error: 'ECONNREFUSED' }],
    },
  ];
  return build(
    specs,
    (from, to) => (to === 'edge1' || from === 'dc1' ? 'blocked' : 'open'),
    (_from, to) => (to === 'edge1' ? 'blocked' : 'open'),
  );
}

/**
 * dual-stack (test/lab/scenarios/dual-stack.ts): three cloud hosts with IPv4 and IPv6 (2001:db8::/64);
 * cloud3's own `table ip6` drops UDP 51820, so it is open over IPv4 and blocked over IPv6.
 */
export function dualStackEvidence(): Evidence {
  const specs: NodeSpec[] = ['cloud1', 'cloud2', 'cloud3'].map((name, i) => ({
    name,
    site: 'cloud',
    address: `198.18.1.${10 + i}/16`,
    extraAddresses: [`2001:db8::1:${10 + i}/64`],
    extraEndpoints: [`[2001:db8::1:${10 + i}]:51820`],
  }));
  return build(
    specs,
    () => 'open',
    () => 'open',
    (_from, to) => ({ udp51820: to === 'cloud3' ? 'blocked' : 'open', tcp50000: 'open' }),
  );
}
