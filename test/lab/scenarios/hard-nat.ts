import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, reach } from './reach.js';

/**
 * Two edge hosts, each behind its own NAT that picks random source ports
 * (so UDP hole punching between them fails), and one cloud host they can
 * both reach.
 */
export default defineScenario({
  name: 'hard-nat',
  description: '2 edge hosts behind random-port NATs (hole punching fails) and 1 cloud host',
  sites: [
    { kind: 'cloud', name: 'cloud', hosts: [{ name: 'cloud1' }] },
    { kind: 'edge', name: 'home', nat: 'random', hosts: [{ name: 'edge1' }] },
    { kind: 'edge', name: 'shop', nat: 'random', hosts: [{ name: 'edge2' }] },
  ],
  reachability: [
    reach('edge1', 'cloud1', WIREGUARD, true, 'outbound through NAT'),
    reach('edge2', 'cloud1', WIREGUARD, true, 'outbound through NAT'),
    reach('edge1', 'cloud1', AGENT_API, true, 'outbound through NAT'),
    reach('edge1', 'edge2', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('edge2', 'edge1', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('cloud1', 'edge1', WIREGUARD, false, 'NAT: nothing inbound'),
    reach('cloud1', 'edge2', AGENT_API, false, 'NAT: nothing inbound'),
  ],
});
