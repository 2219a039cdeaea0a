// The agent for real: three lab hosts run spanwise-agent (supervised, wireguard-go, nftables), with
// the project's discovery service on the desktop address. Issue 5's acceptance, without timings
// (those are in bench/agent-mesh.bench.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labExec } from './exec.js';
import { agentConfig, writeAgentConfig, type MeshCluster } from './mesh/agent-config.js';
import { waitFor } from './mesh/agent-api.js';
import { AgentMesh } from './mesh/agent-mesh.js';
import { agentRunPid, HOST_AGENT_FILES, startAgent, stopAgent } from './mesh/agents.js';
import { HOST_AGENT } from './mesh/bundle.js';
import { meshLeftovers, wgTransfer } from './mesh/host-state.js';
import { useLab } from './use-lab.js';

const HOSTS = ['cloud1', 'cloud2', 'cloud3'];
const lab = useLab('all-open');
let mesh: AgentMesh;
let cluster: MeshCluster;

beforeAll(async () => {
  mesh = await AgentMesh.prepare(lab.status, HOSTS);
  cluster = mesh.cluster('lab-agent-mesh');
  await mesh.configure(HOSTS, cluster);
}, 120_000);

afterAll(async () => {
  await mesh?.close();
}, 60_000);

const explain = () => mesh.explain();
const allUp = (hosts = HOSTS) =>
  waitFor(`every pair of ${hosts.join(', ')} is up`, () => mesh.api.allPairs(hosts, 'up'), { timeoutMs: 30_000, describe: explain });

interface GetPeer {
  spec: { label: string; state: string; publicKey: string; rxBytes: number; txBytes: number; rttMs?: number };
}

async function getPeerStatuses(host: string): Promise<GetPeer['spec'][]> {
  const { stdout } = await labExec(host, ['node', HOST_AGENT, 'get', 'peerstatuses', '-o', 'json']);
  return (JSON.parse(stdout) as GetPeer[]).map((r) => r.spec);
}

async function ula(host: string): Promise<string> {
  const identity = await mesh.api.identity(host);
  if (!identity) throw new Error(`${host}'s agent does not answer`);
  return identity.address;
}

describe('spanwise-agent mesh on lab hosts', () => {
  it('refuses a bad config before touching the host, naming the fields and never the secret', async () => {
    const bad = '/etc/spanwise/bad.yaml';
    await writeAgentConfig('cloud1', agentConfig(cluster, { mtu: 1000, filters: { endpoints: ['10.0.0.0/8', 'nope'] } }), bad);
    const run = await labExec('cloud1', ['node', HOST_AGENT, 'run', '--config', bad], { allowFailure: true });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('mtu: must be at least 1280');
    expect(run.stderr).toContain("filters.endpoints[1]: 'nope' is not an IP or CIDR");
    expect(run.stderr.includes(cluster.secret)).toBe(false);

    const supervised = await labExec('cloud1', ['node', HOST_AGENT, 'supervise', '--pid-file', HOST_AGENT_FILES.pid, '--', 'run', '--config', bad], {
      allowFailure: true,
    });
    expect(supervised.code).not.toBe(0);
    expect(supervised.stderr).toContain('mtu: must be at least 1280');

    await writeAgentConfig(
      'cloud1',
      agentConfig(cluster, { api: { listen: '0.0.0.0:50000', ca: '/etc/spanwise/ca.pem', cert: '/etc/spanwise/missing.pem', key: '/etc/spanwise/api.key' } }),
      bad,
    );
    const missingCert = await labExec('cloud1', ['node', HOST_AGENT, 'run', '--config', bad], { allowFailure: true, timeoutMs: 15_000 });
    expect(missingCert.code).toBe(1);
    expect(missingCert.stderr).toContain('api.cert: cannot read /etc/spanwise/missing.pem');

    expect(await meshLeftovers('cloud1')).toEqual([]);
    expect((await labExec('cloud1', ['test', '-e', HOST_AGENT_FILES.pid], { allowFailure: true })).code).not.toBe(0);
  });

  it('brings every pair up over supervised wireguard-go, with the KubeSpan link, rule, routes and nftables', async () => {
    await mesh.start(HOSTS);
    await allUp();
    for (const host of HOSTS) {
      const dump = (await labExec(host, ['wg', 'show', 'kubespan', 'dump'])).stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      // Holds the private key and PSKs: compare fields, never print the lines.
      const [device, ...peers] = dump;
      expect(device?.slice(2, 4), `${host} listen port and fwmark`).toEqual(['51820', '0x20']);
      expect(peers.length).toBe(HOSTS.length - 1);
      for (const peer of peers) {
        expect(peer[7], `${host} keepalive`).toBe('25');
        expect(peer[1] === cluster.secret, `${host}: the PSK of every peer is the cluster secret`).toBe(true);
      }
      const link = JSON.parse((await labExec(host, ['ip', '-j', 'link', 'show', 'dev', 'kubespan'])).stdout) as { mtu: number }[];
      expect(link[0]?.mtu).toBe(1420);
      for (const family of ['-4', '-6']) {
        expect((await labExec(host, ['ip', family, 'rule', 'show', 'priority', '32500'])).stdout).toMatch(/fwmark 0x40\/0x60 lookup 180/);
        expect((await labExec(host, ['ip', family, 'route', 'show', 'table', '180'])).stdout).toMatch(/^default dev kubespan .*mtu 1420/m);
      }
      expect((await labExec(host, ['nft', 'list', 'table', 'inet', 'spanwise_kubespan'])).stdout).toMatch(/hook output/);
      // wireguard-go is the agent's own child, with its socket in the host's private /run.
      const agentPid = await agentRunPid(host);
      const wgPpid = (await labExec(host, ['ps', '-o', 'ppid=', '-C', 'wireguard-go'])).stdout.trim();
      expect(Number(wgPpid)).toBe(agentPid);
      await labExec(host, ['test', '-S', '/run/wireguard/kubespan.sock']);
    }
  });

  it("pings every host's ULA, and its node address, through the tunnel", async () => {
    for (const from of HOSTS) {
      for (const to of HOSTS.filter((h) => h !== from)) {
        const target = await ula(to);
        const peerKey = (await mesh.api.identity(to))?.publicKey ?? '';
        expect((await labExec(from, ['ip', '-6', 'route', 'get', target])).stdout).toMatch(/ dev kubespan /);
        const before = (await wgTransfer(from)).get(peerKey);
        await labExec(from, ['ping', '-n', '-q', '-c', '2', '-i', '0.2', '-W', '2', '-s', '1000', target]);
        await labExec(from, ['ping', '-n', '-q', '-c', '2', '-i', '0.2', '-W', '2', '-s', '1000', lab.host(to).publicAddress ?? '']);
        const after = (await wgTransfer(from)).get(peerKey);
        // Four 1000-byte echo requests and their replies went through this peer's tunnel.
        expect((after?.tx ?? 0) - (before?.tx ?? 0)).toBeGreaterThan(4 * 1000);
        expect((after?.rx ?? 0) - (before?.rx ?? 0)).toBeGreaterThan(4 * 1000);
      }
    }
  });

  it('`spanwise-agent get peerstatuses` shows every peer up with rx/tx growing', async () => {
    const before = new Map(await Promise.all(HOSTS.map(async (h) => [h, await getPeerStatuses(h)] as const)));
    for (const from of HOSTS)
      for (const to of HOSTS.filter((h) => h !== from)) await labExec(from, ['ping', '-n', '-q', '-c', '2', '-i', '0.2', '-W', '2', await ula(to)]);
    for (const host of HOSTS) {
      const grew = (peer: GetPeer['spec']) => {
        const earlier = before.get(host)?.find((p) => p.publicKey === peer.publicKey);
        return peer.rxBytes > (earlier?.rxBytes ?? 0) && peer.txBytes > (earlier?.txBytes ?? 0);
      };
      // Statuses are refreshed on the agent's tick (3 s), so wait for the next one.
      await waitFor(`${host} shows its peers' counters grown`, async () => (await getPeerStatuses(host)).every(grew), {
        timeoutMs: 20_000,
        everyMs: 500,
        describe: explain,
      });
      const after = await getPeerStatuses(host);
      expect(after.map((p) => p.label).sort()).toEqual(HOSTS.filter((h) => h !== host));
      for (const peer of after) {
        expect(peer.state, `${host} sees ${peer.label}`).toBe('up');
        expect(grew(peer), `${host}: rx and tx of ${peer.label} grew`).toBe(true);
      }
      const table = (await labExec(host, ['node', HOST_AGENT, 'get', 'peerstatuses'])).stdout;
      for (const peer of HOSTS.filter((h) => h !== host)) expect(table).toMatch(new RegExp(`\\s${peer}\\s+\\S+:51820\\s+up\\s`));
    }
  });

  it('measures the round trip to every peer through the mesh', async () => {
    for (const host of HOSTS) {
      // Measured every 10 s while a peer is up.
      await waitFor(`${host} shows a round trip to every peer`, async () => (await getPeerStatuses(host)).every((p) => (p.rttMs ?? 0) > 0), {
        timeoutMs: 25_000,
        everyMs: 1000,
        describe: explain,
      });
      for (const peer of await getPeerStatuses(host)) expect(peer.rttMs, `${host} -> ${peer.label}`).toBeLessThan(1000);
      const table = (await labExec(host, ['node', HOST_AGENT, 'get', 'peerstatuses'])).stdout;
      for (const peer of HOSTS.filter((h) => h !== host)) expect(table).toMatch(new RegExp(`\\s${peer}\\s.*\\s\\d+\\.\\d\\d ms\\s+-\\n`));
    }
  });

  it('keeps its public key across an agent restart', async () => {
    const key = (await mesh.api.identity('cloud1'))?.publicKey;
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await stopAgent('cloud1');
    expect(await meshLeftovers('cloud1')).toEqual([]);
    await startAgent('cloud1');
    await allUp();
    expect((await mesh.api.identity('cloud1'))?.publicKey).toBe(key);
    expect((await mesh.api.peer('cloud2', 'cloud1'))?.publicKey).toBe(key);
  });

  it('replaces the wireguard-go a killed agent left behind with one it supervises', async () => {
    const killed = await agentRunPid('cloud2');
    await labExec('cloud2', ['kill', '-KILL', String(killed)]);
    // The supervisor restarts the agent; the new one must not keep running on the orphan.
    await waitFor('cloud2 runs a new agent', async () => ![undefined, killed].includes(await agentRunPid('cloud2')), { timeoutMs: 20_000, describe: explain });
    await allUp();
    const wireguardGo = (await labExec('cloud2', ['ps', '-o', 'ppid=', '-C', 'wireguard-go'])).stdout.trim().split('\n');
    expect(wireguardGo.map(Number)).toEqual([await agentRunPid('cloud2')]);
  });

  it('reports a stopped agent down on the others, and up again when it is back', async () => {
    await stopAgent('cloud3');
    expect(await meshLeftovers('cloud3')).toEqual([]);
    const othersSee = (state: 'up' | 'down') => async () =>
      (await Promise.all(['cloud1', 'cloud2'].map((h) => mesh.api.peer(h, 'cloud3')))).every((p) => p?.state === state);
    // Within 30 s, before the 40 s rule for a peer that is not probed: every observer, even cloud2 whose
    // agent was just restarted, sees cloud3 go silent after a probe.
    await waitFor('cloud1 and cloud2 report cloud3 down', othersSee('down'), { timeoutMs: 30_000, everyMs: 500, describe: explain });
    expect(await mesh.api.allPairs(['cloud1', 'cloud2'], 'up')).toBe(true);
    // The observer's log says when and why: the transition, with the rule that decided it.
    const logged = await labExec('cloud1', ['grep', 'peer state changed peer=cloud3 from=up to=down', HOST_AGENT_FILES.log]);
    expect(logged.stdout).toMatch(/ info peer state changed peer=cloud3 from=up to=down reason="down \(nothing received for \d+s \([^)]+\); trying /);
    await startAgent('cloud3');
    await allUp();
  });
});
