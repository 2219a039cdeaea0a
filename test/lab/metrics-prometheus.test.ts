// A real Prometheus on the desktop side scrapes three lab agents through the lab network, and the
// discovery service; a query through its HTTP API returns the handshake of every directed pair.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type TestPrometheus } from '../integration/agent-metrics-prometheus.js';
import { DESKTOP_ADDRESS } from './constants.js';
import { labExec } from './exec.js';
import { newCluster, type MeshCluster } from './mesh/agent-config.js';
import { waitFor } from './mesh/agent-api.js';
import { AgentMesh } from './mesh/agent-mesh.js';
import { sleep } from './run.js';
import { findHost } from './status.js';
import { useLab } from './use-lab.js';

const HOSTS = ['cloud1', 'cloud2', 'cloud3'];
const METRICS_PORT = 9587;
const DISCOVERY = { port: 3001, metrics: 9588 };
const lab = useLab('all-open');
let mesh: AgentMesh;
let prometheus: TestPrometheus | undefined;
let stopDiscovery: (() => Promise<void>) | undefined;
let cluster: MeshCluster;

/** The bundle's discovery service on the desktop address with its metrics on, as `discovery serve --metrics` runs it. */
async function startDiscoveryWithMetrics(bundlePath: string): Promise<() => Promise<void>> {
  const child = spawn(
    process.execPath,
    [bundlePath, 'discovery', 'serve', '--listen', `${DESKTOP_ADDRESS}:${DISCOVERY.port}`, '--metrics', `${DESKTOP_ADDRESS}:${DISCOVERY.metrics}`],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
  };
  const healthy = () =>
    fetch(`http://${DESKTOP_ADDRESS}:${DISCOVERY.metrics}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 100 && child.exitCode === null; i += 1) {
    if (await healthy()) return stop;
    await sleep(100);
  }
  await stop();
  throw new Error(`discovery service with metrics did not start on ${DESKTOP_ADDRESS}:${DISCOVERY.metrics}`);
}

beforeAll(async () => {
  mesh = await AgentMesh.prepare(lab.status, HOSTS);
  stopDiscovery = await startDiscoveryWithMetrics(mesh.bundle.path);
  cluster = newCluster('lab-metrics', `http://${DESKTOP_ADDRESS}:${DISCOVERY.port}`);
  await mesh.configure(HOSTS, cluster, { metrics: { listen: `0.0.0.0:${METRICS_PORT}` } });
  await mesh.start(HOSTS);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await mesh?.close();
  await stopDiscovery?.();
}, 60_000);

describe('Prometheus scrapes the lab agents and the discovery service', () => {
  it('returns wireguard_latest_handshake_seconds for every pair of the 3-node mesh', async () => {
    await waitFor('every pair is up', () => mesh.api.allPairs(HOSTS, 'up'), { timeoutMs: 60_000, describe: () => mesh.explain() });
    const address = (h: string) => findHost(lab.status, h).publicAddress ?? '';
    const keys = new Map<string, string>();
    for (const h of HOSTS) keys.set((await mesh.api.identity(h))?.publicKey ?? '', h);
    const instances = new Map(HOSTS.map((h) => [`${address(h)}:${METRICS_PORT}`, h]));
    prometheus = await startPrometheus([
      { job: 'spanwise-agent', targets: [...instances.keys()] },
      { job: 'spanwise-discovery', targets: [`${DESKTOP_ADDRESS}:${DISCOVERY.metrics}`] },
    ]);
    const p = prometheus;
    const pairs = () => HOSTS.flatMap((from) => HOSTS.filter((to) => to !== from).map((to) => `${from}->${to}`)).sort();
    let seen: string[] = [];
    await waitFor(
      'Prometheus has a handshake for every directed pair, and a scrape of the discovery service',
      async () => {
        const samples = await p.query('wireguard_latest_handshake_seconds{job="spanwise-agent"} > 0');
        seen = samples.map((s) => `${instances.get(s.metric.instance ?? '')}->${keys.get(s.metric.public_key ?? '')}`).sort();
        // The discovery job is scraped on its own schedule: wait for its first scrape too.
        return seen.length === 6 && (await p.query('discovery_state_affiliates')).length > 0;
      },
      { timeoutMs: 60_000, describe: async () => `seen ${seen.join(' ')}\n${await p.targets()}` },
    );
    expect(seen).toEqual(pairs());
    const handshakes = await p.query('wireguard_latest_handshake_seconds{job="spanwise-agent"}');
    for (const s of handshakes) {
      expect(s.metric.interface).toBe('kubespan');
      // UNIX seconds, not milliseconds: within a day of now.
      expect(Math.abs(s.value - Date.now() / 1000)).toBeLessThan(86_400);
    }
    expect((await p.query('sum(spanwise_agent_peer_state{state="up"})'))[0]?.value).toBe(6);
    expect((await p.query('discovery_state_affiliates'))[0]?.value).toBe(3);
    expect((await p.query('discovery_state_subscriptions'))[0]?.value).toBe(3);
    expect((await p.query('up == 1')).length).toBe(4);
  }, 180_000);

  it('serves metrics on the mesh address alone with metrics.listen mesh:PORT, reachable from a peer through the tunnel', async () => {
    await mesh.stop(['cloud1']);
    await mesh.configure(['cloud1'], cluster, { metrics: { listen: `mesh:${METRICS_PORT}` } });
    await mesh.start(['cloud1']);
    await waitFor('every pair is up again', () => mesh.api.allPairs(HOSTS, 'up'), { timeoutMs: 60_000, describe: () => mesh.explain() });
    const ula = (await mesh.api.identity('cloud1'))?.address ?? '';
    const script = `fetch('http://[${ula}]:${METRICS_PORT}/metrics').then((r) => r.text()).then((t) => console.log(t), (e) => { console.error(String(e.cause ?? e)); process.exit(1); })`;
    let text = '';
    await waitFor(
      "cloud2 reads cloud1's metrics on cloud1's mesh address",
      async () => {
        const result = await labExec('cloud2', ['node', '-e', script], { allowFailure: true });
        text = result.stdout;
        return result.code === 0;
      },
      { timeoutMs: 30_000, describe: () => mesh.explain() },
    );
    expect(text).toMatch(/^wireguard_latest_handshake_seconds\{interface="kubespan",public_key="[^"]+",allowed_ips="[^"]+"\} [1-9]\d*$/m);
    const fromDesktop = await fetch(`http://${findHost(lab.status, 'cloud1').publicAddress}:${METRICS_PORT}/metrics`).then(
      () => 'answered',
      (e: Error) => String(e.cause ?? e),
    );
    expect(fromDesktop).toMatch(/ECONNREFUSED/);
  }, 120_000);
});
