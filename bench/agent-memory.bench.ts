// The agent's steady memory on the lab (scenario mesh4: 4 cloud hosts, supervised wireguard-go,
// nftables, the project's discovery service on the desktop address, metrics on). Ours: the agent
// launched with AGENT_LAUNCH_ENV, as the unit, the OpenRC script and supervise start it; baseline,
// same run, same hosts: plain `node`, no environment (`run` sets AGENT_V8_FLAGS either way). Figures, max over the 4 hosts after about a minute of every pair up:
//   - steady RSS (VmRSS) of the `run` process; target < 60 MB;
//   - peak RSS (VmHWM).
// Refuses to touch a lab someone has up; always takes the lab down; bounded by a watchdog.
import { downLab, upLab } from '../test/lab/index.js';
import { AGENT_LAUNCH_ENV } from '../agent/shared/agent-launch.js';
import { labExec } from '../test/lab/exec.js';
import { waitFor } from '../test/lab/mesh/agent-api.js';
import { AgentMesh } from '../test/lab/mesh/agent-mesh.js';
import { agentMemory, agentRunPid, HOST_AGENT_FILES } from '../test/lab/mesh/agents.js';
import { HOST_AGENT } from '../test/lab/mesh/bundle.js';
import { sleep } from '../test/lab/run.js';
import { labIsFree } from './lab-guard.js';
import { report } from './report.js';

const describeEnvironment = (env: Readonly<Record<string, string>>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

const HOSTS = ['cloud1', 'cloud2', 'cloud3', 'cloud4'];
const STEADY_MS = 60_000;
const WATCHDOG_MS = 6 * 60_000;

/** Starts the supervised agent like test/lab/mesh/agents.ts does, with `environment` added. */
async function startWith(host: string, environment: Readonly<Record<string, string>>): Promise<void> {
  const { pid, log, superviseLog } = HOST_AGENT_FILES;
  const env = Object.entries(environment)
    .map(([k, v]) => `${k}='${v}' `)
    .join('');
  await labExec(
    host,
    `mkdir -p /run/spanwise /var/log/spanwise && ${env}setsid node ${HOST_AGENT} supervise --pid-file ${pid} --log-file ${log} -- run --config /etc/spanwise/agent.yaml </dev/null >>${superviseLog} 2>&1 &`,
  );
  await waitFor(`the agent on ${host} writes its pid file`, async () => (await labExec(host, ['test', '-s', pid], { allowFailure: true })).code === 0, {
    timeoutMs: 10_000,
  });
}

/** The `run` process's resident pages split into file-backed (mostly the node binary) and private ones, in MB. */
async function residentSplit(host: string): Promise<string> {
  const pid = await agentRunPid(host);
  if (pid === undefined) return `${host} -`;
  const { stdout } = await labExec(host, ['cat', `/proc/${pid}/status`]);
  const mb = (field: string) => ((Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(stdout)?.[1] ?? Number.NaN) * 1024) / 1e6).toFixed(1);
  return `${host} ${mb('RssFile')} + ${mb('RssAnon')}`;
}

async function steadyMemory(mesh: AgentMesh, environment: Readonly<Record<string, string>>): Promise<{ rssMB: number; peakMB: number }> {
  const label = describeEnvironment(environment) || 'plain node';
  const cluster = mesh.cluster(`bench-memory-${Object.keys(environment).length ? 'tuned' : 'plain'}`);
  await mesh.configure(HOSTS, cluster, { metrics: { listen: '127.0.0.1:9587' } });
  await Promise.all(HOSTS.map((h) => startWith(h, environment)));
  try {
    await waitFor('every pair is up', () => mesh.api.allPairs(HOSTS, 'up'), { timeoutMs: 60_000, everyMs: 200, describe: () => mesh.explain() });
    await sleep(STEADY_MS);
    const memory = await Promise.all(HOSTS.map((h) => agentMemory(h)));
    console.log(`# ${label}: RSS ${memory.map((m, i) => `${HOSTS[i]} ${m.rssMB.toFixed(1)}`).join(', ')} MB`);
    console.log(`# ${label}: file-backed + private ${(await Promise.all(HOSTS.map((h) => residentSplit(h)))).join(', ')} MB`);
    return { rssMB: Math.max(...memory.map((m) => m.rssMB)), peakMB: Math.max(...memory.map((m) => m.peakMB)) };
  } finally {
    await mesh.stop(HOSTS);
  }
}

async function main(): Promise<number> {
  if (!(await labIsFree('agent-memory'))) return 1;
  let mesh: AgentMesh | undefined;
  const watchdog = setTimeout(() => {
    console.error(`agent-memory bench: over ${WATCHDOG_MS / 60_000} minutes; tearing the lab down`);
    void downLab().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  try {
    const lab = await upLab('mesh4', { fresh: true });
    mesh = await AgentMesh.prepare(lab, HOSTS);
    const ours = await steadyMemory(mesh, AGENT_LAUNCH_ENV);
    const plain = await steadyMemory(mesh, {});
    const how = `${describeEnvironment(AGENT_LAUNCH_ENV)}; baseline: plain node`;
    report(`agent memory: steady RSS, max of 4 hosts of mesh4 (${how})`, ours.rssMB, 'MB', plain.rssMB, '< 60 MB');
    report(`agent memory: peak RSS (VmHWM), max of 4 hosts (${how})`, ours.peakMB, 'MB', plain.peakMB, '< 80 MB');
    return 0;
  } finally {
    clearTimeout(watchdog);
    await mesh?.close().catch((error: unknown) => console.error(`agent-memory bench: closing the mesh: ${String(error)}`));
    await downLab();
  }
}

process.exitCode = await main();
