import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, everyPair, reach } from './reach.js';

/** Three cloud hosts; cloud3's own firewall drops inbound TCP 50000 (the agent API). */
export default defineScenario({
  name: 'blocked-api',
  description: '3 cloud hosts; cloud3 drops inbound TCP 50000 (agent API), WireGuard is open',
  sites: [
    {
      kind: 'cloud',
      name: 'cloud',
      hosts: [{ name: 'cloud1' }, { name: 'cloud2' }, { name: 'cloud3', firewall: [{ direction: 'inbound', proto: 'tcp', port: 50000, action: 'drop' }] }],
    },
  ],
  reachability: [
    ...everyPair(['cloud1', 'cloud2', 'cloud3'], [WIREGUARD], true, 'WireGuard is open everywhere'),
    reach('cloud1', 'cloud2', AGENT_API, true, 'open'),
    reach('cloud3', 'cloud1', AGENT_API, true, 'outbound from cloud3 is allowed'),
    reach('cloud1', 'cloud3', AGENT_API, false, 'cloud3 drops inbound TCP 50000'),
    reach('cloud2', 'cloud3', AGENT_API, false, 'cloud3 drops inbound TCP 50000'),
    reach('desktop', 'cloud3', AGENT_API, false, 'cloud3 drops inbound TCP 50000'),
    reach('desktop', 'cloud3', { proto: 'tcp', port: 22 }, true, 'SSH still works (tunnel fallback)'),
  ],
});
