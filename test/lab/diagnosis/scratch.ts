import { upLab } from '../builder.js';
import { onboardLab, waitForPairs } from './lab-cluster.js';

const scenario = process.argv[2] ?? 'hybrid';
const lab = await upLab(scenario, { fresh: true });
let t = performance.now();
const cluster = await onboardLab(lab);
console.log('onboarded in', Math.round(performance.now() - t));
const status = await waitForPairs(cluster.services, [], 1000);
for (const n of status.nodes) console.log(n.name, n.agent.via, n.peers.map((p) => `${p.name}:${p.state}`).join(' '));
t = performance.now();
const report = await cluster.services.diagnosis.run();
console.log('diagnosis in', Math.round(performance.now() - t));
console.log(JSON.stringify(report, null, 1));
console.log('DATADIR', cluster.dataDir);
cluster.close();
process.exit(0);
