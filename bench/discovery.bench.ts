// Discovery service benchmark. The server runs in a child process (one core); load,
// watchers and probes run here (the other core), all on 127.0.0.1.
//   1. AffiliateUpdate throughput, one cluster of 1000 affiliates, with 1000 watchers
//      (baseline: the same load with no watchers).
//   2. Update-to-watcher latency with 1000 watchers, measured by 10 decoding probes for
//      every update (including ones superseded before delivery), at 500, 1000, 2000 and
//      5000 updates/s (baseline: the 10 probes alone). Every update goes to every watcher:
//      at R updates/s with ~400-byte affiliates that is R x 0.4 MB/s of fan-out, so the
//      rates show where this machine's fan-out capacity ends.
//   3. The same at 500 updates/s with one connection per watcher instead of 100 streams on
//      each of 10 connections (as behind an HTTP/2 proxy).
//   4. RSS of a server holding 10,000 clusters x 10 affiliates (baseline: empty server).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import { credentials } from '@grpc/grpc-js';
import { AffiliateUpdateRequest, ClusterClient, WatchRequest, type WatchResponse } from '../proto/gen/sidero/discovery/server/cluster.js';
import { clusterKey, sealAffiliate, sealEndpoint } from '../agent/lib/affiliate-crypto.js';
import { silentLogger, startDiscoveryServer, type DiscoveryServer } from '../agent/discovery/server/index.js';
import { percentile, report } from './report.js';

const CLUSTER = 'bench-cluster';
const AFFILIATES = 1000;
const WATCHERS = 1000;
const PROBES = 10;

type Reply = { rss: number; aborted: number; address: string; cpu: number };

// ---- child: the server ----
async function serveChild(): Promise<void> {
  const server: DiscoveryServer = await startDiscoveryServer({ listen: '127.0.0.1:0', rateLimit: false, logger: silentLogger });
  const reply = (): Reply => {
    (globalThis as { gc?: () => void }).gc?.();
    const u = process.cpuUsage();
    return { rss: process.memoryUsage().rss, aborted: server.metrics.watchAborted, address: server.address, cpu: (u.user + u.system) / 1000 };
  };
  process.on('message', (msg: { cmd: string; clusters?: number }) => {
    if (msg.cmd === 'populate') {
      const key = clusterKey(randomBytes(32).toString('base64'));
      const data = sealAffiliate(key, member(0));
      const endpoints = [sealEndpoint(key, '203.0.113.10:51820'), sealEndpoint(key, '[2001:db8::10]:51820')];
      for (let c = 0; c < (msg.clusters ?? 0); c += 1) {
        const clusterId = randomBytes(32).toString('base64url');
        for (let a = 0; a < 10; a += 1) {
          const affiliateData = Buffer.from(data);
          affiliateData[20] = a;
          server.store.update({ clusterId, affiliateId: randomBytes(32).toString('base64url').slice(0, 43), affiliateData, affiliateEndpoints: endpoints, ttl: { seconds: 1800, nanos: 0 } });
        }
      }
    }
    if (msg.cmd === 'stop') void server.stop().then(() => process.exit(0));
    else process.send?.(reply());
  });
  process.send?.(reply());
}

function member(n: number) {
  return {
    nodeId: randomBytes(32).toString('base64url').slice(0, 43),
    addresses: [`10.0.${n >> 8}.${n & 255}`, `2001:db8::${n.toString(16)}`],
    hostname: `node-${n}.example.internal`,
    nodename: `node-${n}`,
    machineType: 'worker',
    operatingSystem: 'Talos (v1.9.0)',
    kubespan: { publicKey: randomBytes(32).toString('base64'), address: `fd7f:175a:b97c:5602::${n.toString(16)}`, additionalAddresses: ['10.244.0.0/24'], excludeAdvertisedAddresses: [] },
  };
}

// ---- parent: load, watchers, probes ----
function startChild(): Promise<{ child: ChildProcess; ask: (cmd: object) => Promise<Reply>; first: Reply }> {
  const child = fork(new URL(import.meta.url).pathname, ['serve'], { execArgv: ['--import', 'tsx', '--expose-gc'] });
  const waiters: ((r: Reply) => void)[] = [];
  child.on('message', (r: Reply) => waiters.shift()?.(r));
  const next = () => new Promise<Reply>((resolve) => waiters.push(resolve));
  const ask = (cmd: object) => {
    const p = next();
    child.send(cmd);
    return p;
  };
  return next().then((first) => ({ child, ask, first }));
}

function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ cmd: 'stop' });
  return exited;
}

/** Per-affiliate payload: send time (float64, ms since this process started) then a realistic sealed payload. */
const key = clusterKey(randomBytes(32).toString('base64'));
const payloads = Array.from({ length: AFFILIATES }, (_, i) => Buffer.concat([Buffer.alloc(8), sealAffiliate(key, member(i))]));
const endpointBlobs = Array.from({ length: AFFILIATES }, (_, i) => [sealEndpoint(key, `198.51.${i >> 8}.${i & 255}:51820`)]);
const sends: number[][] = Array.from({ length: AFFILIATES }, () => []);

/**
 * The load generator speaks gRPC over raw HTTP/2 with pre-encoded requests: grpc-js's
 * client costs about twice the server's work per call and would measure itself on 2 cores.
 * The server sees ordinary AffiliateUpdate calls.
 */
const markers = payloads.map(() => randomBytes(8));
const templates = payloads.map((p, i) => {
  const data = Buffer.from(p);
  (markers[i] as Buffer).copy(data, 0);
  const body = AffiliateUpdateRequest.encode({ clusterId: CLUSTER, affiliateId: `aff-${i}`, affiliateData: data, affiliateEndpoints: endpointBlobs[i] as Buffer[], ttl: { seconds: 1800, nanos: 0 } }).finish();
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(body.length, 1);
  frame.set(body, 5);
  return { frame, offset: frame.indexOf(markers[i] as Buffer) };
});
let failures = 0;

function update(session: ClientHttp2Session, i: number, record: boolean): Promise<void> {
  const t = templates[i] as { frame: Buffer; offset: number };
  const frame = Buffer.from(t.frame);
  const now = performance.now();
  frame.writeDoubleLE(now, t.offset);
  if (record) (sends[i] as number[]).push(now);
  return new Promise((resolve) => {
    const req = session.request({ ':method': 'POST', ':path': '/sidero.discovery.server.Cluster/AffiliateUpdate', 'content-type': 'application/grpc', te: 'trailers' });
    req.on('trailers', (h) => {
      if (h['grpc-status'] !== '0') failures += 1;
    });
    req.on('error', () => (failures += 1));
    req.on('close', () => resolve());
    req.resume();
    req.end(frame);
  });
}

function sessions(address: string, n: number): ClientHttp2Session[] {
  return Array.from({ length: n }, () => {
    const s = h2connect(`http://${address}`);
    s.on('error', () => {});
    return s;
  });
}

/** Unpaced: `concurrency` calls in flight over several connections, for `ms`. */
async function throughput(clients: ClientHttp2Session[], ms: number, concurrency = 128): Promise<number> {
  let done = 0;
  let next = 0;
  const end = performance.now() + ms;
  const worker = async (w: number) => {
    const client = clients[w % clients.length] as ClientHttp2Session;
    while (performance.now() < end && done < 1_000_000) {
      await update(client, next++ % AFFILIATES, false);
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return done / ((performance.now() - started) / 1000);
}

/** Paced at `rate`/s on one connection (so per-affiliate order holds), for `ms`. */
async function paced(client: ClientHttp2Session, rate: number, ms: number): Promise<number> {
  const tick = 10;
  const perTick = Math.round((rate * tick) / 1000);
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let i = 0;
  for (let t = 0; t < ms / tick; t += 1) {
    for (let k = 0; k < perTick; k += 1) pending.push(update(client, i++ % AFFILIATES, true));
    const wait = started + (t + 1) * tick - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(pending);
  return i / ((performance.now() - started) / 1000);
}

/** A decoding watcher that turns every delivered version into latencies for all sends it covers. */
function probe(address: string, latencies: number[]): Promise<() => void> {
  const client = new ClusterClient(address, credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 << 20 });
  const cursor = new Array<number>(AFFILIATES).fill(0);
  const stream = client.watch({ clusterId: CLUSTER });
  stream.on('error', () => {});
  return new Promise((resolve) => {
    let first = true;
    stream.on('data', (m: WatchResponse) => {
      const now = performance.now();
      if (first) {
        first = false;
        resolve(() => client.close());
        return;
      }
      for (const a of m.affiliates) {
        const i = Number(a.id.slice(4));
        const sent = a.data.readDoubleLE(0);
        const list = sends[i] as number[];
        let c = cursor[i] as number;
        while (c < list.length && (list[c] as number) <= sent) latencies.push(now - (list[c++] as number));
        cursor[i] = c;
      }
    });
  });
}

/** Raw HTTP/2 watchers that read and discard (the server does the same work for them), `perConnection` streams per connection. */
async function sinks(address: string, count: number, perConnection: number): Promise<{ close: () => void; bytes: () => number }> {
  const [host, port] = address.split(':');
  const sessions: ClientHttp2Session[] = [];
  let bytes = 0;
  const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), WatchRequest.encode({ clusterId: CLUSTER }).finish()]);
  body.writeUInt32BE(body.length - 5, 1);
  const opened: Promise<void>[] = [];
  for (let s = 0; s < Math.ceil(count / perConnection); s += 1) {
    const session = h2connect(`http://${host}:${port}`, perConnection > 1 ? { settings: { initialWindowSize: 1 << 20 } } : {});
    session.on('error', () => {});
    sessions.push(session);
    for (let k = 0; k < Math.min(perConnection, count - s * perConnection); k += 1) {
      const req = session.request({ ':method': 'POST', ':path': '/sidero.discovery.server.Cluster/Watch', 'content-type': 'application/grpc', te: 'trailers' });
      req.on('error', () => {});
      opened.push(new Promise((resolve) => req.once('data', () => resolve())));
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.end(body);
    }
  }
  await Promise.all(opened);
  return { close: () => sessions.forEach((s) => s.destroy()), bytes: () => bytes };
}

async function main(): Promise<void> {
  const { child, ask, first } = await startChild();
  const address = first.address;
  const clients = sessions(address, 2);
  for (let i = 0; i < AFFILIATES; i += 1) await update(clients[0] as ClientHttp2Session, i, false);
  await throughput(clients, 1000);
  /** Runs one phase and prints the CPU share of the server and of this (load) process. */
  const cpu = async (label: string, phase: () => Promise<number>): Promise<number> => {
    const serverBefore = (await ask({ cmd: 'rss' })).cpu;
    const loadBefore = process.cpuUsage();
    const started = performance.now();
    const result = await phase();
    const elapsed = performance.now() - started;
    const serverMs = (await ask({ cmd: 'rss' })).cpu - serverBefore;
    const load = process.cpuUsage(loadBefore);
    console.log(`# ${label}: ${result.toFixed(0)}/s; server ${((serverMs / elapsed) * 100).toFixed(0)}% CPU, load+watchers ${(((load.user + load.system) / 1000 / elapsed) * 100).toFixed(0)}% CPU`);
    return result;
  };
  const bare = await cpu('unpaced, no watchers', () => throughput(clients, 3000));

  /** p99 and p50 of update-to-watcher latency seen by 10 fresh probes while updates run at `rate`/s. */
  const latencyAt = async (label: string, rate: number): Promise<{ rate: number; p50: number; p99: number }> => {
    sends.forEach((s) => (s.length = 0));
    const samples: number[] = [];
    const probes = await Promise.all(Array.from({ length: PROBES }, () => probe(address, samples)));
    const achieved = await cpu(`${label} at ${rate}/s`, () => paced(clients[0] as ClientHttp2Session, rate, 3000));
    await new Promise((r) => setTimeout(r, 500));
    probes.forEach((close) => close());
    return { rate: achieved, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  };
  const alone = await latencyAt('10 watchers', 500);

  const multiplexed = await sinks(address, WATCHERS - PROBES, 100);
  const sweep = [];
  for (const rate of [500, 1000, 2000, 5000]) sweep.push(await latencyAt('1000 watchers', rate));
  const watched = await cpu('unpaced, 1000 watchers', () => throughput(clients, 4000));
  const afterLoad = await ask({ cmd: 'rss' });
  const mbSent = multiplexed.bytes() / 1e6;
  multiplexed.close();
  const direct = await sinks(address, WATCHERS - PROBES, 1);
  const directLatency = await latencyAt('1000 watchers, one connection each', 500);
  direct.close();
  clients.forEach((c) => c.destroy());
  await stopChild(child);

  report(`discovery AffiliateUpdate throughput, 1 cluster x ${AFFILIATES} affiliates, ${WATCHERS} watchers (baseline: no watchers)`, watched, 'updates/s', bare, '>= 5000 updates/s');
  for (const point of sweep) {
    report(`discovery update-to-watcher latency p99 at ${Math.round(point.rate)} updates/s, ${WATCHERS} watchers (baseline: ${PROBES} watchers at 500/s)`, point.p99, 'ms', alone.p99, 'p99 < 100 ms');
  }
  report(`discovery update-to-watcher latency p50 at ${Math.round(sweep[3]?.rate ?? 0)} updates/s, ${WATCHERS} watchers (baseline: ${PROBES} watchers at 500/s)`, sweep[3]?.p50 ?? Number.NaN, 'ms', alone.p50);
  report(`discovery update-to-watcher latency p99 at ${Math.round(directLatency.rate)} updates/s, ${WATCHERS} watchers on their own connections (baseline: ${PROBES} watchers at 500/s)`, directLatency.p99, 'ms', alone.p99);
  console.log(`# ${failures} failed updates; ${afterLoad.aborted} watchers cut off; ${mbSent.toFixed(0)} MB delivered to multiplexed sink watchers; server RSS ${(afterLoad.rss / 1e6).toFixed(0)} MB`);

  const mem = await startChild();
  const populated = await mem.ask({ cmd: 'populate', clusters: 10_000 });
  await stopChild(mem.child);
  report('discovery server RSS, 10,000 clusters x 10 affiliates (baseline: empty server)', populated.rss / 1e6, 'MB', mem.first.rss / 1e6, '< 300 MB');
}

if (process.argv[2] === 'serve') await serveChild();
else await main();
