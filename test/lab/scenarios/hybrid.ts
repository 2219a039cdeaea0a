import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, everyPair, reach } from './reach.js';

/**
 * The common real-world mix: two cloud hosts, one datacenter host behind a
 * firewall that forwards TCP 50000 and UDP 51820 but drops inbound UDP 51820,
 * and one edge host behind a port-preserving NAT with no inbound at all
 * (its link has a PPPoE-like MTU of 1492).
 */
export default defineScenario({
  name: 'hybrid',
  description: '2 cloud, 1 datacenter behind a firewall dropping inbound UDP 51820 (TCP 50000 forwarded), 1 edge behind NAT',
  sites: [
    { kind: 'cloud', name: 'cloud', hosts: [{ name: 'cloud1' }, { name: 'cloud2' }] },
    {
      kind: 'datacenter',
      name: 'dc',
      gateway: { firewall: [{ direction: 'inbound', proto: 'udp', port: 51820, action: 'drop' }] },
      forwards: [
        { proto: 'tcp', port: 50000, to: 'dc1' },
        { proto: 'udp', port: 51820, to: 'dc1' },
      ],
      hosts: [{ name: 'dc1' }],
    },
    { kind: 'edge', name: 'edge', nat: 'port-preserving', hosts: [{ name: 'edge1', mtu: 1492 }] },
  ],
  reachability: [
    ...everyPair(['cloud1', 'cloud2'], [WIREGUARD, AGENT_API], true, 'open public net'),
    reach('cloud1', 'dc1', WIREGUARD, false, 'datacenter firewall drops inbound UDP 51820'),
    reach('cloud1', 'dc1', AGENT_API, true, 'gateway forwards TCP 50000'),
    reach('desktop', 'dc1', AGENT_API, true, 'gateway forwards TCP 50000'),
    reach('dc1', 'cloud1', WIREGUARD, true, 'outbound is allowed'),
    reach('dc1', 'cloud2', AGENT_API, true, 'outbound is allowed'),
    reach('edge1', 'cloud1', WIREGUARD, true, 'outbound through NAT'),
    reach('edge1', 'cloud2', AGENT_API, true, 'outbound through NAT'),
    reach('edge1', 'dc1', AGENT_API, true, 'through the datacenter forward'),
    reach('edge1', 'dc1', WIREGUARD, false, 'datacenter firewall drops inbound UDP 51820'),
    reach('cloud1', 'edge1', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('cloud2', 'edge1', AGENT_API, false, 'NAT: nothing inbound'),
    reach('dc1', 'edge1', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('desktop', 'edge1', AGENT_API, false, 'NAT: nothing inbound'),
    reach('desktop', 'cloud1', { proto: 'tcp', port: 22 }, true, 'SSH from the desktop'),
    reach('desktop', 'edge-gw', { proto: 'tcp', port: 22 }, true, 'SSH to the jump host'),
    reach('desktop', 'dc-gw', { proto: 'tcp', port: 22 }, true, 'SSH to the jump host'),
  ],
});
