import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, everyPair } from './reach.js';

/**
 * Three cloud hosts with IPv4 and IPv6 (2001:db8::/64) on the public net,
 * nothing filtered. The IPv6 diagnosis test blocks one host over IPv6 only.
 */
export default defineScenario({
  name: 'dual-stack',
  description: '3 cloud hosts with IPv4 and IPv6 addresses, nothing filtered',
  sites: [{ kind: 'cloud', name: 'cloud', ipv6: true, hosts: [{ name: 'cloud1' }, { name: 'cloud2' }, { name: 'cloud3' }] }],
  reachability: everyPair(['cloud1', 'cloud2', 'cloud3'], [WIREGUARD, AGENT_API], true, 'open public net'),
});
