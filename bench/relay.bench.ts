// A pair with no direct path, relayed through a mesh node, for real on the lab (scenario hard-nat:
// edge1 and edge2 behind port-randomising NATs, cloud1 reached by both; supervised wireguard-go,
// the project's discovery service on the desktop address). The relay is the manual one: the
// settings' `relays` written into every agent's config, then the agents restarted, as a settings
// push does. Figures, one run:
//   - Apply to edge1-edge2 up through cloud1 on both ends; baseline: the same restart to the direct
//     pairs edge1-cloud1 and edge2-cloud1 up;
//   - the relayed round trip edge1 -> edge2 (ping over the ULAs, median of 20) against the sum of
//     the two direct hops edge1 -> cloud1 and cloud1 -> edge2, measured the same way;
//   - cloud1 stopped (no other relay in the scenario) to edge1-edge2 reported down on both ends;
//     baseline: the same stop to edge1-cloud1 and edge2-cloud1 down.
// Refuses to touch a lab someone has up; always takes the lab down; bounded by a watchdog.
import { labExec } from '../test/lab/index.js';
import { waitFor } from '../test/lab/mesh/agent-api.js';
import { agentConfig, newCluster, writeAgentConfig, type MeshCluster } from '../test/lab/mesh/agent-config.js';
import { startAgent, stopAgent } from '../test/lab/mesh/agents.js';
import { HOST_AGENT } from '../test/lab/mesh/bundle.js';
import { explainer, isDown, isUp, onRelayLab, peers, timeBoth } from './relay-lab.js';
import { percentile, report } from './report.js';

const HOSTS = ['cloud1', 'edge1', 'edge2'];
const RELAY = { between: ['edge1', 'edge2'], via: 'cloud1' };
const PINGS = 20;
const explain = explainer(HOSTS);

async function ula(host: string): Promise<string> {
  const { stdout } = await labExec(host, ['node', HOST_AGENT, 'get', 'identities', '-o', 'json']);
  const address = (JSON.parse(stdout) as { spec: { address: string } }[])[0]?.spec.address;
  if (!address) throw new Error(`${host}'s agent has no identity`);
  return address;
}

/** Median round trip in ms of `PINGS` pings from `from` to `to` through the mesh. */
async function pingMs(from: string, to: string): Promise<number> {
  const { stdout } = await labExec(from, ['ping', '-6', '-n', '-c', String(PINGS), '-i', '0.2', '-W', '2', to]);
  const times = [...stdout.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
  if (times.length < PINGS / 2) throw new Error(`${from} -> ${to}: ${times.length} of ${PINGS} pings answered`);
  return percentile(times, 50);
}

async function configure(hosts: readonly string[], cluster: MeshCluster, relays: (typeof RELAY)[]): Promise<void> {
  await Promise.all(hosts.map((h) => writeAgentConfig(h, agentConfig(cluster, { relays }))));
}

/** Restarts the agents with the relay in their config: to the direct pairs up, and to the relayed pair up on both ends. */
async function applyRelay(cluster: MeshCluster) {
  const t = await timeBoth(
    'edge1 and edge2 are up with cloud1 and with each other through it',
    async () => {
      await configure(HOSTS, cluster, [RELAY]);
      await Promise.all(HOSTS.map((h) => stopAgent(h)));
      await Promise.all(HOSTS.map((h) => startAgent(h)));
    },
    (edge1, edge2) => isUp(edge1, 'cloud1') && isUp(edge2, 'cloud1'),
    (edge1, edge2) => isUp(edge1, 'edge2', 'cloud1') && isUp(edge2, 'edge1', 'cloud1'),
    90_000,
    explain,
  );
  return { directS: t.firstS, relayedS: t.secondS };
}

/** Stops the relay: to the direct pairs with it down on both edges, and to the relayed pair down on both. */
async function stopRelay() {
  const t = await timeBoth(
    'edge1 and edge2 report cloud1 and each other down',
    () => stopAgent(RELAY.via),
    (edge1, edge2) => isDown(edge1, 'cloud1') && isDown(edge2, 'cloud1'),
    (edge1, edge2) => isDown(edge1, 'edge2') && isDown(edge2, 'edge1'),
    60_000,
    explain,
  );
  return { directS: t.firstS, relayedS: t.secondS };
}

process.exitCode = await onRelayLab('relay', 'hard-nat', HOSTS, async (_lab, discoveryUrl) => {
  const cluster = newCluster('bench-relay', discoveryUrl);
  await configure(HOSTS, cluster, []);
  await Promise.all(HOSTS.map((h) => startAgent(h)));
  await waitFor('edge1 and edge2 are up with cloud1', async () => isUp(await peers('edge1'), 'cloud1') && isUp(await peers('edge2'), 'cloud1'), {
    timeoutMs: 60_000,
    everyMs: 200,
    describe: explain,
  });
  const applied = await applyRelay(cluster);
  console.log(`# relay: direct pairs up ${applied.directS.toFixed(2)} s, relayed pair up ${applied.relayedS.toFixed(2)} s after Apply`);
  const [cloud1, , edge2] = await Promise.all(HOSTS.map((h) => ula(h)));
  const hop1 = await pingMs('edge1', cloud1 ?? '');
  const hop2 = await pingMs('cloud1', edge2 ?? '');
  const relayed = await pingMs('edge1', edge2 ?? '');
  console.log(`# relay: edge1 -> cloud1 ${hop1} ms, cloud1 -> edge2 ${hop2} ms, edge1 -> edge2 through cloud1 ${relayed} ms (medians of ${PINGS})`);
  report(
    'relay: Apply to edge1-edge2 up through cloud1 on both ends (baseline: the same restart to the direct pairs up)',
    applied.relayedS,
    's',
    applied.directS,
  );
  report('relay: round trip edge1 -> edge2 through cloud1 (baseline: edge1 -> cloud1 plus cloud1 -> edge2, direct)', relayed, 'ms', hop1 + hop2);
  const stopped = await stopRelay();
  report(
    'relay: cloud1 stopped, edge1-edge2 reported down on both ends (baseline: the same stop, edge1-cloud1 and edge2-cloud1 down)',
    stopped.relayedS,
    's',
    stopped.directS,
    '< 20 s',
  );
});
