import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, everyPair, reach } from './reach.js';

const clouds = Array.from({ length: 8 }, (_, i) => `cloud${i + 1}`);

/** Eight cloud hosts on the public net, nothing filtered: for parallel onboarding. */
export default defineScenario({
  name: 'fleet8',
  description: '8 cloud hosts on the public net; nothing is filtered (parallel onboarding)',
  sites: [{ kind: 'cloud', name: 'cloud', hosts: clouds.map((name) => ({ name })) }],
  reachability: [
    ...everyPair(clouds.slice(0, 3), [WIREGUARD, AGENT_API], true, 'open public net'),
    ...clouds.map((h) => reach('desktop', h, { proto: 'tcp', port: 22 }, true, 'SSH from the desktop')),
  ],
});
