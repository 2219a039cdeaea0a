import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, everyPair, reach } from './reach.js';

/**
 * A datacenter gateway that drops new outbound UDP 51820 (a common egress
 * policy) while it forwards UDP 51820 and TCP 50000 to its host: dc1's peers
 * reach it and it answers them, but it can dial none of them. Two cloud hosts
 * and one edge host behind a port-preserving NAT.
 */
export default defineScenario({
  name: 'egress',
  description: '2 cloud, 1 datacenter behind a gateway dropping outbound UDP 51820 (UDP 51820 and TCP 50000 forwarded in), 1 edge behind NAT',
  sites: [
    { kind: 'cloud', name: 'cloud', hosts: [{ name: 'cloud1' }, { name: 'cloud2' }] },
    {
      kind: 'datacenter',
      name: 'dc',
      gateway: { firewall: [{ direction: 'outbound', proto: 'udp', port: 51820, action: 'drop' }] },
      forwards: [
        { proto: 'tcp', port: 50000, to: 'dc1' },
        { proto: 'udp', port: 51820, to: 'dc1' },
      ],
      hosts: [{ name: 'dc1' }],
    },
    { kind: 'edge', name: 'edge', nat: 'port-preserving', hosts: [{ name: 'edge1' }] },
  ],
  reachability: [
    ...everyPair(['cloud1', 'cloud2'], [WIREGUARD, AGENT_API], true, 'open public net'),
    reach('dc1', 'cloud1', WIREGUARD, false, 'the datacenter gateway drops outbound UDP 51820'),
    reach('dc1', 'cloud2', WIREGUARD, false, 'the datacenter gateway drops outbound UDP 51820'),
    reach('dc1', 'cloud1', AGENT_API, true, 'outbound TCP is allowed'),
    reach('cloud1', 'dc1', WIREGUARD, true, 'gateway forwards UDP 51820'),
    reach('cloud2', 'dc1', AGENT_API, true, 'gateway forwards TCP 50000'),
    reach('edge1', 'dc1', WIREGUARD, true, 'through the datacenter forward'),
    reach('edge1', 'cloud1', WIREGUARD, true, 'outbound through NAT'),
    reach('cloud1', 'edge1', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('desktop', 'dc1', AGENT_API, true, 'gateway forwards TCP 50000'),
    reach('desktop', 'cloud1', { proto: 'tcp', port: 22 }, true, 'SSH from the desktop'),
  ],
});
