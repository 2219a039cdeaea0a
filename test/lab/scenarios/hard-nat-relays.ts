import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, reach } from './reach.js';

/**
 * hard-nat with two relay-capable cloud hosts: two edge hosts, each behind its own NAT that picks
 * random source ports (so UDP hole punching between them fails), and two cloud hosts they both
 * reach, so a relayed pair has a second relay to move to.
 */
export default defineScenario({
  name: 'hard-nat-relays',
  description: '2 edge hosts behind random-port NATs (hole punching fails) and 2 cloud hosts that can relay',
  sites: [
    { kind: 'cloud', name: 'cloud', hosts: [{ name: 'cloud1' }, { name: 'cloud2' }] },
    { kind: 'edge', name: 'home', nat: 'random', hosts: [{ name: 'edge1' }] },
    { kind: 'edge', name: 'shop', nat: 'random', hosts: [{ name: 'edge2' }] },
  ],
  // Kept short: the reachability test builds every scenario; hard-nat checks the rest of this shape.
  reachability: [
    reach('cloud1', 'cloud2', WIREGUARD, true, 'open public net'),
    reach('edge1', 'cloud2', WIREGUARD, true, 'outbound through NAT'),
    reach('edge2', 'cloud1', AGENT_API, true, 'outbound through NAT'),
    reach('edge1', 'edge2', WIREGUARD, false, 'NAT: nothing inbound'),
  ],
});
