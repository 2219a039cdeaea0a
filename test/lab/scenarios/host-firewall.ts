import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, reach } from './reach.js';

/**
 * Two cloud hosts, cloud2 with a host-local nftables rule dropping inbound
 * UDP 51820, and an edge host behind a port-preserving NAT.
 */
export default defineScenario({
  name: 'host-firewall',
  description: '2 cloud hosts (cloud2 drops inbound UDP 51820 in its own nftables), 1 edge host behind NAT',
  sites: [
    {
      kind: 'cloud',
      name: 'cloud',
      hosts: [{ name: 'cloud1' }, { name: 'cloud2', firewall: [{ direction: 'inbound', proto: 'udp', port: 51820, action: 'drop' }] }],
    },
    { kind: 'edge', name: 'edge', nat: 'port-preserving', hosts: [{ name: 'edge1' }] },
  ],
  reachability: [
    reach('cloud2', 'cloud1', WIREGUARD, true, 'cloud1 is open'),
    reach('cloud1', 'cloud2', WIREGUARD, false, 'cloud2 drops inbound UDP 51820'),
    reach('edge1', 'cloud2', WIREGUARD, false, 'cloud2 drops inbound UDP 51820'),
    reach('edge1', 'cloud1', WIREGUARD, true, 'outbound through NAT'),
    reach('cloud1', 'cloud2', AGENT_API, true, 'only UDP 51820 is dropped'),
    reach('edge1', 'cloud2', AGENT_API, true, 'only UDP 51820 is dropped'),
    reach('cloud1', 'edge1', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('desktop', 'cloud2', { proto: 'tcp', port: 22 }, true, 'SSH from the desktop'),
  ],
});
