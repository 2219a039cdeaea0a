// What the relay benches share: the lab run (scenario up, agent bundle and API certificates on the
// hosts, discovery on the desktop address, everything taken down after), reading each host's peers
// on the host, and timing two conditions after one action.
import { downLab, labExec, upLab } from '../test/lab/index.js';
import { findHost, type LabStatus } from '../test/lab/status.js';
import { waitFor } from '../test/lab/mesh/agent-api.js';
import { agentLog, stopAgent } from '../test/lab/mesh/agents.js';
import { createMeshPki, installApiCertificate } from '../test/lab/mesh/api-certs.js';
import { buildBundle, HOST_AGENT, installBundle, type AgentBundle } from '../test/lab/mesh/bundle.js';
import { startLabDiscovery, type LabDiscovery } from '../test/lab/mesh/discovery.js';
import { labIsFree } from './lab-guard.js';

/** One peer as `spanwise-agent get peerstatuses -o json` prints it. */
export interface Peer {
  label: string;
  state: string;
  via?: string;
}

/** What `host` reports of its peers, read on the host (edge agents are not reachable from outside their NAT). */
export async function peers(host: string): Promise<Peer[]> {
  const { stdout, code } = await labExec(host, ['node', HOST_AGENT, 'get', 'peerstatuses', '-o', 'json'], { allowFailure: true });
  return code === 0 ? (JSON.parse(stdout) as { spec: Peer }[]).map((r) => r.spec) : [];
}

/** Whether `label` is up in `seen`, through `via` (undefined: direct). */
export const isUp = (seen: Peer[], label: string, via?: string) => seen.some((p) => p.label === label && p.state === 'up' && (p.via || undefined) === via);

/** Whether `label` is down in `seen`. */
export const isDown = (seen: Peer[], label: string) => seen.some((p) => p.label === label && p.state === 'down');

/** What each edge sees of the other and of the relays. */
export type EdgeCheck = (edge1: Peer[], edge2: Peer[]) => boolean;

/** The peers and the last log lines of every host, for a timeout's message. */
export function explainer(hosts: readonly string[]): () => Promise<string> {
  return async () => (await Promise.all(hosts.map(async (h) => `${h}: ${JSON.stringify(await peers(h))}\n${await agentLog(h, 10)}`))).join('\n');
}

/** After `act`, seconds (from its start) until `first` holds on both edges, and until `second` does. */
export async function timeBoth(what: string, act: () => Promise<void>, first: EdgeCheck, second: EdgeCheck, timeoutMs: number, explain: () => Promise<string>) {
  const start = performance.now();
  await act();
  const at: { firstS?: number; secondS?: number } = {};
  await waitFor(
    what,
    async () => {
      const [edge1, edge2] = await Promise.all([peers('edge1'), peers('edge2')]);
      const elapsed = (performance.now() - start) / 1000;
      if (at.firstS === undefined && first(edge1, edge2)) at.firstS = elapsed;
      if (at.secondS === undefined && second(edge1, edge2)) at.secondS = elapsed;
      return at.firstS !== undefined && at.secondS !== undefined;
    },
    { timeoutMs, everyMs: 100, describe: explain },
  );
  return { firstS: at.firstS ?? Number.NaN, secondS: at.secondS ?? Number.NaN };
}

const WATCHDOG_MS = 6 * 60_000;

/**
 * Runs `body` on a fresh `scenario` whose `hosts` have the agent bundle and API certificates, with
 * the lab's discovery service: refuses a lab someone has up, always stops the agents and takes the
 * lab down, and gives up after six minutes. Resolves to the process exit code.
 */
export async function onRelayLab(
  bench: string,
  scenario: string,
  hosts: readonly string[],
  body: (lab: LabStatus, discoveryUrl: string) => Promise<void>,
): Promise<number> {
  if (!(await labIsFree(bench))) return 1;
  let bundle: AgentBundle | undefined;
  let discovery: LabDiscovery | undefined;
  const watchdog = setTimeout(() => {
    console.error(`${bench} bench: over ${WATCHDOG_MS / 60_000} minutes; tearing the lab down`);
    void downLab().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  try {
    const lab = await upLab(scenario, { fresh: true });
    bundle = await buildBundle();
    discovery = await startLabDiscovery(bundle.path);
    await prepareHosts(lab, bundle, hosts);
    await body(lab, discovery.url);
    return 0;
  } finally {
    clearTimeout(watchdog);
    await Promise.allSettled(hosts.map((h) => stopAgent(h)));
    await discovery?.stop();
    await bundle?.remove();
    await downLab();
  }
}

/** Installs the agent bundle and an API certificate of one new cluster CA on each host. */
async function prepareHosts(lab: LabStatus, bundle: AgentBundle, hosts: readonly string[]): Promise<void> {
  const pki = await createMeshPki();
  await Promise.all(
    hosts.map(async (h) => {
      const host = findHost(lab, h);
      await installBundle(h, bundle);
      await installApiCertificate(h, host.publicAddress ?? host.privateAddress ?? '', pki);
    }),
  );
}
