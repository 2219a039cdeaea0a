// Load for the discovery benchmark. Updates and sink watchers speak gRPC over raw HTTP/2
// with pre-encoded messages: grpc-js's client costs about twice the server's work per call
// and would measure itself on 2 cores. The server sees ordinary calls. Probes are real
// grpc-js clients that decode every message.
import { randomBytes } from 'node:crypto';
import { connect as h2connect, type ClientHttp2Session } from 'node:http2';
import { credentials } from '@grpc/grpc-js';
import { AffiliateUpdateRequest, ClusterClient, WatchRequest, type WatchResponse } from '../proto/gen/sidero/discovery/server/cluster.js';
import { clusterKey, sealAffiliate, sealEndpoint } from '../agent/shared/affiliate-crypto.js';

const PATH = '/sidero.discovery.server.Cluster/';

export function member(n: number) {
  return {
    nodeId: randomBytes(32).toString('base64url').slice(0, 43),
    addresses: [`10.0.${n >> 8}.${n & 255}`, `2001:db8::${n.toString(16)}`],
    hostname: `node-${n}.example.internal`,
    nodename: `node-${n}`,
    machineType: 'worker',
    operatingSystem: 'Talos (v1.9.0)',
    kubespan: {
      publicKey: randomBytes(32).toString('base64'),
      address: `fd7f:175a:b97c:5602::${n.toString(16)}`,
      additionalAddresses: ['10.244.0.0/24'],
      excludeAdvertisedAddresses: [],
    },
  };
}

/** A gRPC frame (5-byte header) around a message. */
export function frame(body: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.writeUInt32BE(body.length, 1);
  out.set(body, 5);
  return out;
}

export function sessions(address: string, n: number): ClientHttp2Session[] {
  return Array.from({ length: n }, () => {
    const s = h2connect(`http://${address}`);
    s.on('error', () => {});
    return s;
  });
}

/**
 * Replaces, in place, sessions the server has closed: at 5000 updates/s on one connection
 * node's HTTP/2 server ends the connection (ENHANCE_YOUR_CALM, its per-session memory cap), and
 * the phases after it would otherwise send into a dead session and measure nothing.
 */
export function revive(address: string, list: ClientHttp2Session[]): void {
  list.forEach((s, i) => {
    if (s.closed || s.destroyed) list[i] = sessions(address, 1)[0] as ClientHttp2Session;
  });
}

/** One unary call over raw HTTP/2; resolves with the gRPC status (-1 when the stream failed). */
export function call(session: ClientHttp2Session, method: string, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    let code = -1;
    const req = session.request({ ':method': 'POST', ':path': PATH + method, 'content-type': 'application/grpc', te: 'trailers' });
    req.on('response', (h) => h['grpc-status'] !== undefined && (code = Number(h['grpc-status'])));
    req.on('trailers', (h) => (code = Number(h['grpc-status'])));
    req.on('error', () => {});
    req.on('close', () => resolve(code));
    req.resume();
    req.end(body);
  });
}

/**
 * One cluster of realistic sealed affiliates. Each update carries its send time
 * (float64, ms of this process's clock) in the first bytes of the data, so a
 * probe turns every delivered version into latencies for all sends it covers.
 */
export class BenchCluster {
  readonly sends: number[][];
  private readonly templates: { frame: Buffer; offset: number }[];
  /** Updates that did not get OK, by gRPC status (-1: the stream failed). */
  readonly failed = new Map<number, number>();

  constructor(
    readonly id: string,
    readonly size: number,
  ) {
    const key = clusterKey(randomBytes(32).toString('base64'));
    this.sends = Array.from({ length: size }, () => []);
    this.templates = Array.from({ length: size }, (_, i) => {
      const marker = randomBytes(8);
      const data = Buffer.concat([marker, sealAffiliate(key, member(i))]);
      const endpoints = [sealEndpoint(key, `198.51.${i >> 8}.${i & 255}:51820`)];
      const body = AffiliateUpdateRequest.encode({
        clusterId: id,
        affiliateId: `aff-${i}`,
        affiliateData: data,
        affiliateEndpoints: endpoints,
        ttl: { seconds: 1800, nanos: 0 },
      }).finish();
      const framed = frame(body);
      return { frame: framed, offset: framed.indexOf(marker) };
    });
  }

  get failures(): number {
    return [...this.failed.values()].reduce((a, b) => a + b, 0);
  }

  /** Sends an update of affiliate `i`; resolves with the RPC's round trip in ms. */
  async update(session: ClientHttp2Session, i: number, record: boolean): Promise<number> {
    const t = this.templates[i] as { frame: Buffer; offset: number };
    const body = Buffer.from(t.frame);
    const now = performance.now();
    body.writeDoubleLE(now, t.offset);
    if (record) (this.sends[i] as number[]).push(now);
    const code = await call(session, 'AffiliateUpdate', body);
    if (code !== 0) this.failed.set(code, (this.failed.get(code) ?? 0) + 1);
    return performance.now() - now;
  }

  /** A decoding watcher; resolves (with its close function) once the whole snapshot has arrived. */
  probe(address: string, latencies: number[]): Promise<() => void> {
    const client = new ClusterClient(address, credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 << 20 });
    const cursor = new Array<number>(this.size).fill(0);
    const stream = client.watch({ clusterId: this.id });
    stream.on('error', () => {});
    return new Promise((resolve) => {
      const snapshot = new Set<string>();
      stream.on('data', (m: WatchResponse) => {
        const now = performance.now();
        if (snapshot.size < this.size) {
          for (const a of m.affiliates) snapshot.add(a.id);
          if (snapshot.size >= this.size) resolve(() => client.close());
          return;
        }
        for (const a of m.affiliates) {
          const i = Number(a.id.slice(4));
          const sent = a.data.readDoubleLE(0);
          const list = this.sends[i] as number[];
          let c = cursor[i] as number;
          while (c < list.length && (list[c] as number) <= sent) latencies.push(now - (list[c++] as number));
          cursor[i] = c;
        }
      });
    });
  }
}

/** Unpaced: `concurrency` calls in flight over several connections, for `ms`; returns updates/s that got OK. */
export async function throughput(cluster: BenchCluster, clients: ClientHttp2Session[], ms: number, concurrency = 128): Promise<number> {
  let done = 0;
  let next = 0;
  const failedBefore = cluster.failures;
  const end = performance.now() + ms;
  const worker = async (w: number) => {
    const client = clients[w % clients.length] as ClientHttp2Session;
    while (performance.now() < end && done < 1_000_000) {
      await cluster.update(client, next++ % cluster.size, false);
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return (done - (cluster.failures - failedBefore)) / ((performance.now() - started) / 1000);
}

/**
 * Paced at `rate`/s on one connection (so per-affiliate order holds), for `ms`; returns the
 * achieved rate of updates that got OK, how many did not, and the RPC round trips.
 */
export async function paced(
  cluster: BenchCluster,
  client: ClientHttp2Session,
  rate: number,
  ms: number,
): Promise<{ rate: number; failed: number; rtts: number[] }> {
  const failedBefore = cluster.failures;
  const tick = 10;
  const perTick = Math.max(1, Math.round((rate * tick) / 1000));
  const pending: Promise<number>[] = [];
  const started = performance.now();
  let i = 0;
  for (let t = 0; t < ms / tick; t += 1) {
    for (let k = 0; k < perTick; k += 1) pending.push(cluster.update(client, i++ % cluster.size, true));
    const wait = started + (t + 1) * tick - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const rtts = await Promise.all(pending);
  const failed = cluster.failures - failedBefore;
  return { rate: (i - failed) / ((performance.now() - started) / 1000), failed, rtts };
}

/** Watch streams over raw HTTP/2, `perConnection` per connection: sinks read and discard; `read: false` never reads at all. */
export async function sinks(
  address: string,
  clusterId: string,
  count: number,
  perConnection: number,
  read = true,
): Promise<{ close: () => void; bytes: () => number }> {
  const all: ClientHttp2Session[] = [];
  let bytes = 0;
  const body = frame(WatchRequest.encode({ clusterId }).finish());
  const opened: Promise<void>[] = [];
  for (let s = 0; s < Math.ceil(count / perConnection); s += 1) {
    const session = h2connect(`http://${address}`, read && perConnection > 1 ? { settings: { initialWindowSize: 1 << 20 } } : {});
    session.on('error', () => {});
    all.push(session);
    for (let k = 0; k < Math.min(perConnection, count - s * perConnection); k += 1) {
      const req = session.request({ ':method': 'POST', ':path': `${PATH}Watch`, 'content-type': 'application/grpc', te: 'trailers' });
      req.on('error', () => {});
      opened.push(new Promise((resolve) => req.once(read ? 'data' : 'response', () => resolve())));
      if (read) req.on('data', (c: Buffer) => (bytes += c.length));
      else req.pause();
      req.end(body);
    }
  }
  await Promise.all(opened);
  return { close: () => all.forEach((s) => s.destroy()), bytes: () => bytes };
}
