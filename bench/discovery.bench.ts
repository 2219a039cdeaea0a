// Discovery service benchmark. The server runs in a child process; load and the decoding
// probes run here; the other watchers are hand-written HTTP/2 sinks in a third process
// (discovery-thin-sink.ts), attackers in a fourth; all on 127.0.0.1, on 2 cores.
//   1. AffiliateUpdate throughput, one cluster of 1000 affiliates, with 1000 watchers
//      (baseline: the same load with no watchers).
//   2. Update-to-watcher latency with 1000 watchers, measured by 10 decoding probes for
//      every update (including ones superseded before delivery), at 500, 1000, 2000 and
//      5000 updates/s (baseline: the 10 probes alone). Every update goes to every watcher:
//      at R updates/s with ~400-byte affiliates that is R x 0.4 MB/s of fan-out, so the
//      rates show where this machine's fan-out capacity ends.
//   3. The same at 500 and 1000 updates/s with one connection per watcher instead of 100
//      streams on each of 10 connections (as behind an HTTP/2 proxy).
//   4. RSS of a server holding 10,000 clusters x 10 affiliates (baseline: empty server).
//   5. Floods against a server run as `discovery serve` runs by default (memory guard,
//      state file, new-cluster budget), rate limit off as if the attacker had many
//      networks (the flood of new clusters again with the budget off), while real
//      clients (10 probes, 100 updates/s on a 50-affiliate cluster) keep working:
//      12,000 largest updates into new cluster ids, then on a fresh server 500 Watch
//      streams that never read on a cluster filled with 1024 largest affiliates. Each
//      figure against the same server's figure before the flood.
// DISCOVERY_BENCH_CPU_PROF=<dir> writes a CPU profile of the server for each measured phase there.
// Arguments name parts to run alone (fanout, capacity, floodOfClusters, neverReading; `direct`
// runs only the one-connection-per-watcher phases of fanout).
import type { ClientHttp2Session } from 'node:http2';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerProcess } from './discovery-bench-server.js';
import { experience, fillCluster, floodNewClusters, idleWatchers, type Experience } from './discovery-flood.js';
import { BenchCluster, paced, revive, sessions, throughput } from './discovery-load.js';
import { thinSinks } from './discovery-thin-sink.js';
import { percentile, report } from './report.js';

const WATCHERS = 1000;
const loadAverage = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const PROBES = 10;
const MB = 1e6;

/** Runs one phase and prints the CPU share of the server and of this (load) process, the server's event-loop delay and the load average. */
async function cpu(server: ServerProcess, label: string, phase: () => Promise<number>): Promise<number> {
  const profile = process.env.DISCOVERY_BENCH_CPU_PROF;
  if (profile) await server.ask({ cmd: 'profile', file: join(profile, `${label.replace(/[^\w]+/g, '-')}.cpuprofile`) });
  const serverBefore = (await server.ask({ cmd: 'peak' })).cpu;
  const loadBefore = process.cpuUsage();
  const started = performance.now();
  const result = await phase();
  const elapsed = performance.now() - started;
  const after = await server.ask({ cmd: 'rss' });
  if (profile) await server.ask({ cmd: 'profile' });
  const serverMs = after.cpu - serverBefore;
  const load = process.cpuUsage(loadBefore);
  const loop = `server event-loop delay p99 ${after.loopDelay.p99.toFixed(0)} ms, max ${after.loopDelay.max.toFixed(0)} ms`;
  console.log(
    `# ${label}: ${result.toFixed(0)}/s; server ${((serverMs / elapsed) * 100).toFixed(0)}% CPU, load+watchers ${(((load.user + load.system) / 1000 / elapsed) * 100).toFixed(0)}% CPU; ${loop}; ${loadAverage()}`,
  );
  return result;
}

/** Waits until every watcher has taken all it was sent (new watchers' snapshots), so latency is measured on established ones. */
async function settle(server: ServerProcess): Promise<void> {
  for (let quiet = 0, i = 0; quiet < 3 && i < 300; i += 1) {
    quiet = (await server.ask({ cmd: 'rss' })).stats.watchQueuedBytes === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fan-out figures; `multiplexed: false` runs only the phases with one connection per watcher. */
async function fanout(multiplexed = true): Promise<void> {
  const server = await startServer('plain');
  const address = server.first.address;
  const cluster = new BenchCluster('bench-cluster', 1000);
  const clients = sessions(address, 2);
  for (let i = 0; i < cluster.size; i += 1) await cluster.update(clients[0] as ClientHttp2Session, i, false);
  await throughput(cluster, clients, 1000);
  const bare = await cpu(server, 'unpaced, no watchers', () => throughput(cluster, clients, 3000));

  /** p99 and p50 of update-to-watcher latency seen by 10 fresh probes while updates run at `rate`/s. */
  const latencyAt = async (label: string, rate: number): Promise<{ rate: number; p50: number; p99: number }> => {
    cluster.sends.forEach((s) => (s.length = 0));
    const samples: number[] = [];
    const probes = await Promise.all(Array.from({ length: PROBES }, () => cluster.probe(address, samples)));
    revive(address, clients);
    let failed = 0;
    const achieved = await cpu(server, `${label} at ${rate}/s`, async () => {
      const result = await paced(cluster, clients[0] as ClientHttp2Session, rate, 3000);
      failed = result.failed;
      return result.rate;
    });
    if (failed > 0) console.log(`# ${failed} updates of this phase failed (status -1: the server ended the session); the rate counts only those that got OK`);
    await new Promise((r) => setTimeout(r, 500));
    probes.forEach((close) => close());
    return { rate: achieved, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  };
  const alone = await latencyAt('10 watchers', 500);

  if (multiplexed) {
    const sinks = await thinSinks(address, cluster.id, WATCHERS - PROBES, 100);
    await settle(server);
    const sweep = [];
    for (const rate of [500, 1000, 2000, 5000]) sweep.push(await latencyAt('1000 watchers', rate));
    revive(address, clients);
    const watched = await cpu(server, 'unpaced, 1000 watchers', () => throughput(cluster, clients, 4000));
    sinks.close();
    report(
      `discovery AffiliateUpdate throughput, 1 cluster x ${cluster.size} affiliates, ${WATCHERS} watchers (baseline: no watchers)`,
      watched,
      'updates/s',
      bare,
      '>= 5000 updates/s',
    );
    for (const point of sweep) {
      report(
        `discovery update-to-watcher latency p99 at ${Math.round(point.rate)} updates/s, ${WATCHERS} watchers (baseline: ${PROBES} watchers at 500/s)`,
        point.p99,
        'ms',
        alone.p99,
        'p99 < 100 ms',
      );
    }
    report(
      `discovery update-to-watcher latency p50 at ${Math.round(sweep[3]?.rate ?? 0)} updates/s, ${WATCHERS} watchers (baseline: ${PROBES} watchers at 500/s)`,
      sweep[3]?.p50 ?? Number.NaN,
      'ms',
      alone.p50,
    );
  }
  const direct = await thinSinks(address, cluster.id, WATCHERS - PROBES);
  await settle(server);
  for (const rate of [500, 1000]) {
    const point = await latencyAt('1000 watchers, one connection each', rate);
    report(
      `discovery update-to-watcher latency p99 at ${Math.round(point.rate)} updates/s, ${WATCHERS} watchers on their own connections (baseline: ${PROBES} watchers at 500/s)`,
      point.p99,
      'ms',
      alone.p99,
      'p99 < 100 ms',
    );
  }
  direct.close();
  const afterLoad = await server.ask({ cmd: 'rss' });
  clients.forEach((c) => c.destroy());
  await server.stop();
  const failed = [...cluster.failed].map(([code, n]) => `${n} x status ${code}`).join(', ') || 'none';
  console.log(`# failed updates: ${failed}; ${afterLoad.aborted} watchers cut off; server RSS ${(afterLoad.rss / MB).toFixed(0)} MB`);
}

async function capacity(): Promise<void> {
  const server = await startServer('plain');
  const populated = await server.ask({ cmd: 'populate', clusters: 10_000 });
  await server.stop();
  report('discovery server RSS, 10,000 clusters x 10 affiliates (baseline: empty server)', populated.rss / MB, 'MB', server.first.rss / MB, '< 300 MB');
}

const RATE = 100;
const PHASE_MS = 4000;

function reportExperience(attack: string, during: Experience, before: Experience): void {
  report(`discovery real clients' AffiliateUpdate p99 during ${attack} (baseline: same load before it)`, during.rpcP99, 'ms', before.rpcP99, 'p99 < 100 ms');
  report(
    `discovery real clients' update-to-watcher p99 during ${attack} (baseline: same load before it)`,
    during.watchP99,
    'ms',
    before.watchP99,
    'p99 < 100 ms',
  );
  if (during.failures + before.failures > 0) console.log(`# real clients' failed updates: ${before.failures} before, ${during.failures} during ${attack}`);
}

const counts = (codes: Map<number, number>) =>
  [...codes].map(([code, n]) => `${n} x ${code === 0 ? 'OK' : code === 8 ? 'RESOURCE_EXHAUSTED' : `status ${code}`}`).join(', ');

/**
 * The flood of new cluster ids against the server as served (new-cluster budget on), then
 * with the budget off, as from an attacker patient enough to fill the cluster limit.
 */
async function floodOfClusters(): Promise<void> {
  await clusterFlood('guarded', 'new-cluster budget on');
  await clusterFlood('unbudgeted', 'new-cluster budget off');
}

async function clusterFlood(mode: 'guarded' | 'unbudgeted', tag: string): Promise<void> {
  const server = await startServer(mode);
  const address = server.first.address;
  const legit = new BenchCluster('real-cluster', 50);
  const [client] = sessions(address, 1) as [ClientHttp2Session];
  for (let i = 0; i < legit.size; i += 1) await legit.update(client, i, false);
  const before = await experience(address, legit, RATE, PHASE_MS, () => Promise.resolve());
  const quiet = await server.ask({ cmd: 'snapshot' });
  await server.ask({ cmd: 'peak' });
  const flood = await floodNewClusters(address, 12_000);
  let codes = new Map<number, number>();
  const started = performance.now();
  const profile = process.env.DISCOVERY_BENCH_CPU_PROF;
  if (profile) await server.ask({ cmd: 'profile', file: join(profile, `flood-${mode}.cpuprofile`) });
  const during = await experience(address, legit, RATE, PHASE_MS, async () => (codes = await flood.go()));
  if (profile) await server.ask({ cmd: 'profile' });
  flood.close();
  console.log(`# the flood took ${((performance.now() - started) / 1000).toFixed(1)} s (real clients measured for at least ${PHASE_MS / 1000} s)`);
  const afterFlood = await server.ask({ cmd: 'rss' });
  console.log(`# server event-loop delay during the flood: p99 ${afterFlood.loopDelay.p99.toFixed(0)} ms, max ${afterFlood.loopDelay.max.toFixed(0)} ms`);
  await server.ask({ cmd: 'peak' });
  let flooded = afterFlood;
  const writing = await experience(address, legit, RATE, 1000, async () => (flooded = await server.ask({ cmd: 'snapshot' })));
  const peak = Math.max(afterFlood.peak, flooded.peak);
  console.log(`# server event-loop delay during the state-file write: p99 ${flooded.loopDelay.p99.toFixed(0)} ms, max ${flooded.loopDelay.max.toFixed(0)} ms`);
  const mem = (r: typeof flooded) =>
    Object.entries(r.memory)
      .map(([k, v]) => `${k} ${(v / MB).toFixed(0)}`)
      .join(', ');
  console.log(
    `# memory after the flood: ${mem(afterFlood)}; peak ${(afterFlood.peak / MB).toFixed(0)}; after the snapshot: ${mem(flooded)}; peak ${(peak / MB).toFixed(0)}`,
  );
  client.destroy();
  await server.stop();
  console.log(
    `# 12,000 updates into new cluster ids, ${tag}: ${counts(codes)}; server holds ${flooded.stats.clusters} clusters, ${flooded.stats.affiliates} affiliates`,
  );
  report(
    `discovery peak RSS during 12,000 largest updates into new cluster ids, ${tag} (baseline: same server before)`,
    peak / MB,
    'MB',
    quiet.rss / MB,
    '< 400 MB',
  );
  report(
    `discovery state file after 12,000 largest updates into new cluster ids, ${tag} (baseline: before)`,
    flooded.stateBytes / MB,
    'MB',
    quiet.stateBytes / MB,
  );
  reportExperience(`the flood of new clusters, ${tag}`, during, before);
  reportExperience(`the state-file write after the flood of new clusters, ${tag}`, writing, before);
}

async function neverReading(): Promise<void> {
  const server = await startServer('guarded');
  const address = server.first.address;
  const legit = new BenchCluster('real-cluster', 50);
  const [client] = sessions(address, 1) as [ClientHttp2Session];
  for (let i = 0; i < legit.size; i += 1) await legit.update(client, i, false);
  const filled = await fillCluster(address, 'attacker-cluster', 1024);
  const before = await experience(address, legit, RATE, PHASE_MS, () => Promise.resolve());
  const quiet = await server.ask({ cmd: 'peak' });
  const idle = await idleWatchers(address, 'attacker-cluster', 500);
  const opening = await experience(address, legit, RATE, PHASE_MS, () => idle.go());
  const held = await experience(address, legit, RATE, PHASE_MS, () => Promise.resolve());
  const holding = await server.ask({ cmd: 'peak' });
  await new Promise((r) => setTimeout(r, 32_000));
  const later = await server.ask({ cmd: 'rss' });
  idle.close();
  client.destroy();
  await server.stop();
  const queued = (holding.stats.watchQueuedBytes / MB).toFixed(1);
  console.log(
    `# attacker cluster: ${counts(filled)}; 500 never-reading streams held ${queued} MB queued in all; 32 s later ${later.cutOff} were reset, ${later.stats.watchers} watchers left`,
  );
  report(
    'discovery peak RSS with 500 Watch streams that never read, 1024 largest affiliates (baseline: same server before them)',
    holding.peak / MB,
    'MB',
    quiet.rss / MB,
    '< 400 MB',
  );
  reportExperience('the opening of 500 Watch streams that never read', opening, before);
  reportExperience('500 open Watch streams that never read', held, before);
}

const parts: Record<string, () => Promise<void>> = { fanout, capacity, floodOfClusters, neverReading };
const wanted = process.argv.slice(2);
console.log(`# ${loadAverage()}`);
for (const [name, part] of Object.entries(parts)) if (wanted.length === 0 || wanted.includes(name)) await part();
if (wanted.includes('direct')) await fanout(false);
