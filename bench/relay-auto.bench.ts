// Automatic relays for real on the lab (scenario hard-nat-relays: edge1 and edge2 behind
// port-randomising NATs, cloud1 and cloud2 reached by both; supervised wireguard-go, the project's
// discovery service on the desktop address). Every agent runs with `relayMode: auto` and its site;
// no relay is configured. Figures, one run:
//   - start to edge1-edge2 up through a cloud node on both ends; baseline: the same start to the
//     direct pairs between the edges and the clouds up;
//   - that relay's agent stopped to edge1-edge2 up through the other cloud node on both ends;
//     baseline: the same stop to both edges reporting the stopped relay down (target < 20 s, the
//     dead-peer target).
// Refuses to touch a lab someone has up; always takes the lab down; bounded by a watchdog.
import { findHost } from '../test/lab/status.js';
import { agentConfig, newCluster, writeAgentConfig } from '../test/lab/mesh/agent-config.js';
import { startAgent, stopAgent } from '../test/lab/mesh/agents.js';
import { explainer, isDown, isUp, onRelayLab, peers, timeBoth, type Peer } from './relay-lab.js';
import { report } from './report.js';

const CLOUDS = ['cloud1', 'cloud2'];
const HOSTS = [...CLOUDS, 'edge1', 'edge2'];
const explain = explainer(HOSTS);

/** The cloud node both edges reach each other through, if they agree on one. */
function relayOf(edge1: Peer[], edge2: Peer[]): string | undefined {
  return CLOUDS.find((c) => isUp(edge1, 'edge2', c) && isUp(edge2, 'edge1', c));
}

process.exitCode = await onRelayLab('relay-auto', 'hard-nat-relays', HOSTS, async (lab, discoveryUrl) => {
  const cluster = newCluster('bench-relay-auto', discoveryUrl);
  await Promise.all(HOSTS.map((h) => writeAgentConfig(h, agentConfig(cluster, { relayMode: 'auto', node: { site: findHost(lab, h).site } }))));
  const started = await timeBoth(
    'edge1 and edge2 are up with both clouds, and with each other through one',
    async () => {
      await Promise.all(HOSTS.map((h) => startAgent(h)));
    },
    (edge1, edge2) => CLOUDS.every((c) => isUp(edge1, c) && isUp(edge2, c)),
    (edge1, edge2) => relayOf(edge1, edge2) !== undefined,
    120_000,
    explain,
  );
  const relay = relayOf(await peers('edge1'), await peers('edge2')) ?? '';
  const other = CLOUDS.find((c) => c !== relay) ?? '';
  console.log(`# relay-auto: clouds up ${started.firstS.toFixed(2)} s, edge pair up through ${relay} ${started.secondS.toFixed(2)} s after start`);
  report(
    'relay-auto: start to edge1-edge2 up through a cloud node on both ends (baseline: the same start to the edges up with both clouds)',
    started.secondS,
    's',
    started.firstS,
  );
  const moved = await timeBoth(
    `edge1 and edge2 report ${relay} down, and each other up through ${other}`,
    () => stopAgent(relay),
    (edge1, edge2) => isDown(edge1, relay) && isDown(edge2, relay),
    (edge1, edge2) => isUp(edge1, 'edge2', other) && isUp(edge2, 'edge1', other),
    60_000,
    explain,
  );
  report(
    `relay-auto: relay ${relay} stopped, edge1-edge2 up through ${other} on both ends (baseline: the same stop, ${relay} reported down by both edges)`,
    moved.secondS,
    's',
    moved.firstS,
    '< 20 s',
  );
});
