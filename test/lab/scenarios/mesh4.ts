import { defineScenario } from '../scenario.js';
import { AGENT_API, WIREGUARD, everyPair, reach } from './reach.js';

const clouds = ['cloud1', 'cloud2', 'cloud3', 'cloud4'];

/** Four cloud hosts on the public net, no firewall anywhere: the agent mesh benchmark's lab. */
export default defineScenario({
  name: 'mesh4',
  description: '4 cloud hosts on the public net; nothing is filtered (agent mesh benchmark)',
  sites: [{ kind: 'cloud', name: 'cloud', hosts: clouds.map((name) => ({ name })) }],
  reachability: [
    ...everyPair(clouds, [WIREGUARD, AGENT_API], true, 'open public net'),
    ...clouds.map((h) => reach('desktop', h, { proto: 'tcp', port: 22 }, true, 'SSH from the desktop')),
    ...clouds.map((h) => reach('desktop', h, AGENT_API, true, 'agent API from the desktop')),
  ],
});
