// The attacks of the discovery benchmark: updates into new cluster ids, a cluster filled
// to its limit, and Watch streams that never read. All payloads are the largest the
// wire allows (2048-byte data, 64 endpoints of 32 bytes), as an attacker would send. The
// attacker is a process of its own, so its work does not slow the real clients measured
// here (on this 2-core machine it still competes with the server for CPU).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ClientHttp2Session } from 'node:http2';
import { AffiliateUpdateRequest } from '../proto/gen/sidero/discovery/server/cluster.js';
import { percentile } from './report.js';
import { call, frame, paced, sessions, sinks, type BenchCluster } from './discovery-load.js';

function largest(clusterId: string, affiliateId: string): Buffer {
  const affiliateEndpoints = Array.from({ length: 64 }, () => randomBytes(32));
  return frame(
    AffiliateUpdateRequest.encode({ clusterId, affiliateId, affiliateData: randomBytes(2048), affiliateEndpoints, ttl: { seconds: 1800, nanos: 0 } }).finish(),
  );
}

/** Sends the updates, `concurrency` at a time; returns how many got each gRPC status. */
async function send(address: string, bodies: Buffer[], concurrency = 64): Promise<Map<number, number>> {
  const clients = sessions(address, 4);
  const codes = new Map<number, number>();
  let i = 0;
  const worker = async (w: number) => {
    while (i < bodies.length) {
      const code = await call(clients[w % clients.length] as ClientHttp2Session, 'AffiliateUpdate', bodies[i++] as Buffer);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  clients.forEach((c) => c.destroy());
  return codes;
}

const newCluster = (): [string, string] => [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];

/** What the attacker process does: `updates` sends its prepared updates, `idle` opens Watch streams that never read. */
type Attack = { kind: 'updates'; address: string; count: number; clusterId?: string } | { kind: 'idle'; address: string; count: number; clusterId: string };

/** An attacker process, ready: `go` attacks and resolves with what the server answered; `close` ends it. */
export interface Attacker {
  go(): Promise<Map<number, number>>;
  close(): void;
}

async function attacker(attack: Attack): Promise<Attacker> {
  const child = fork(new URL(import.meta.url).pathname, ['attack', JSON.stringify(attack)], { execArgv: ['--import', 'tsx'] });
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m: T) => resolve(m)));
  child.once('exit', (code) => code && console.log(`# attacker exited ${code}`));
  await next<string>();
  return {
    go: () => {
      const done = next<[number, number][]>().then((codes) => new Map(codes));
      child.send('go');
      return done;
    },
    close: () => child.kill(),
  };
}

/** `count` updates, each into a new random cluster id. */
export function floodNewClusters(address: string, count: number): Promise<Attacker> {
  return attacker({ kind: 'updates', address, count });
}

/** Fills one cluster with `count` largest affiliates (a 4 MiB snapshot at 1024). */
export async function fillCluster(address: string, clusterId: string, count: number): Promise<Map<number, number>> {
  const a = await attacker({ kind: 'updates', address, count, clusterId });
  const codes = await a.go();
  a.close();
  return codes;
}

/** `count` Watch streams on `clusterId`, 10 per connection, that never read; `go` resolves once all have their response headers. */
export function idleWatchers(address: string, clusterId: string, count: number): Promise<Attacker> {
  return attacker({ kind: 'idle', address, count, clusterId });
}

async function runAttacker(attack: Attack): Promise<void> {
  const target = (i: number): [string, string] => (attack.clusterId ? [attack.clusterId, `attacker-${i}`] : newCluster());
  const bodies = attack.kind === 'updates' ? Array.from({ length: attack.count }, (_, i) => largest(...target(i))) : [];
  process.once('message', () => {
    const run =
      attack.kind === 'updates'
        ? send(attack.address, bodies)
        : sinks(attack.address, attack.clusterId, attack.count, 10, false).then(() => new Map([[0, attack.count]]));
    void run.then((codes) => process.send?.([...codes]));
  });
  process.send?.('ready');
}

if (process.argv[2] === 'attack') {
  process.once('disconnect', () => process.exit(0));
  await runAttacker(JSON.parse(process.argv[3] ?? '{}') as Attack);
}

/** What a real client saw during a phase. */
export interface Experience {
  /** Update-to-watcher latency p99 over 10 decoding probes, ms. */
  watchP99: number;
  /** AffiliateUpdate round trip p99, ms. */
  rpcP99: number;
  failures: number;
}

/**
 * Real clients while `attack` runs: 10 probes watch `cluster` and one connection
 * updates it at `rate`/s, for `ms` or until the attack is done, whichever is later.
 */
export async function experience(address: string, cluster: BenchCluster, rate: number, ms: number, attack: () => Promise<unknown>): Promise<Experience> {
  cluster.sends.forEach((s) => (s.length = 0));
  cluster.failed.clear();
  const samples: number[] = [];
  const probes = await Promise.all(Array.from({ length: 10 }, () => cluster.probe(address, samples)));
  const [client] = sessions(address, 1) as [ClientHttp2Session];
  const rtts: number[] = [];
  let attacking = true;
  const attacked = attack().finally(() => (attacking = false));
  const started = performance.now();
  while (attacking || performance.now() - started < ms) rtts.push(...(await paced(cluster, client, rate, 500)).rtts);
  await attacked;
  await new Promise((r) => setTimeout(r, 300));
  probes.forEach((close) => close());
  client.destroy();
  return { watchP99: percentile(samples, 99), rpcP99: percentile(rtts, 99), failures: cluster.failures };
}
