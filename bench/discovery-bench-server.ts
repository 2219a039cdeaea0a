// The discovery server of the benchmark, in its own process (so its RSS and CPU are its
// own), driven over IPC by discovery.bench.ts. `guarded` runs it as `discovery serve`
// does by default (memory guard on, a state file, the new-cluster budget); `unbudgeted`
// the same without the new-cluster budget; `plain` has none of them.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clusterKey, sealAffiliate, sealEndpoint } from '../agent/shared/affiliate-crypto.js';
import { defaultMemoryLimit, silentLogger, startDiscoveryServer, type DiscoveryServer, type StoreStats } from '../agent/discovery/server/index.js';
import { member } from './discovery-load.js';

/** What the server process answers to every command. */
export interface Reply {
  address: string;
  rss: number;
  /** Highest RSS seen (sampled every 20 ms) since the last `peak` command. */
  peak: number;
  cpu: number;
  aborted: number;
  cutOff: number;
  stats: StoreStats;
  /** Size of the state file after the last `snapshot` command. */
  stateBytes: number;
  memory: NodeJS.MemoryUsage;
  /** Event-loop delay since the last `peak` command, ms: p99 and max. */
  loopDelay: { p99: number; max: number };
}

type Command = { cmd: 'rss' | 'peak' | 'snapshot' | 'stop' } | { cmd: 'populate'; clusters: number } | { cmd: 'profile'; file?: string };

async function serve(mode: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanwise-bench-discovery-'));
  const stateFile = join(dir, 'state');
  const guarded = mode !== 'plain';
  const server: DiscoveryServer = await startDiscoveryServer({
    listen: '127.0.0.1:0',
    rateLimit: false,
    ...(mode === 'guarded' ? {} : { newClusterRate: false as const }),
    logger: silentLogger,
    ...(guarded ? { maxMemoryBytes: defaultMemoryLimit(), stateFile, snapshotIntervalMs: 3_600_000 } : {}),
  });
  const profiler = new Profiler();
  let peak = 0;
  let stateBytes = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20).unref();
  const reply = (): Reply => {
    (globalThis as { gc?: () => void }).gc?.();
    const u = process.cpuUsage();
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    const m = server.metrics;
    return {
      address: server.address,
      rss,
      peak,
      cpu: (u.user + u.system) / 1000,
      aborted: m.watchAborted,
      cutOff: m.watchCutOff,
      stats: server.stats(),
      stateBytes,
      memory: process.memoryUsage(),
      loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    };
  };
  process.on('message', (msg: Command) => {
    void (async () => {
      if (msg.cmd === 'populate') populate(server, msg.clusters);
      if (msg.cmd === 'profile') await profiler.toggle(msg.file);
      if (msg.cmd === 'snapshot') {
        await server.snapshot();
        stateBytes = statSync(stateFile).size;
      }
      if (msg.cmd === 'stop') {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      }
      const r = reply();
      if (msg.cmd === 'peak') {
        peak = 0;
        loop.reset();
      }
      process.send?.(r);
    })();
  });
  process.send?.(reply());
}

/** CPU profiles of single phases: `toggle(file)` starts one, `toggle()` writes it to that file. */
class Profiler {
  private readonly session = new Session();
  private file: string | undefined;

  async toggle(file?: string): Promise<void> {
    if (file) {
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.start');
      this.file = file;
    } else if (this.file) {
      const { profile } = await this.session.post('Profiler.stop');
      writeFileSync(this.file, JSON.stringify(profile));
      this.session.disconnect();
      this.file = undefined;
    }
  }
}

function populate(server: DiscoveryServer, clusters: number): void {
  const key = clusterKey(randomBytes(32).toString('base64'));
  const data = sealAffiliate(key, member(0));
  const endpoints = [sealEndpoint(key, '203.0.113.10:51820'), sealEndpoint(key, '[2001:db8::10]:51820')];
  for (let c = 0; c < clusters; c += 1) {
    const clusterId = randomBytes(32).toString('base64url');
    for (let a = 0; a < 10; a += 1) {
      const affiliateData = Buffer.from(data);
      affiliateData[20] = a;
      server.store.update({
        clusterId,
        affiliateId: randomBytes(32).toString('base64url').slice(0, 43),
        affiliateData,
        affiliateEndpoints: endpoints,
        ttl: { seconds: 1800, nanos: 0 },
      });
    }
  }
}

/** A running server process. */
export interface ServerProcess {
  child: ChildProcess;
  first: Reply;
  ask(cmd: Command): Promise<Reply>;
  stop(): Promise<void>;
}

export async function startServer(mode: 'plain' | 'guarded' | 'unbudgeted'): Promise<ServerProcess> {
  const child = fork(new URL(import.meta.url).pathname, ['serve', mode], { execArgv: ['--import', 'tsx', '--expose-gc'] });
  const waiters: ((r: Reply) => void)[] = [];
  child.on('message', (r: Reply) => waiters.shift()?.(r));
  const next = () => new Promise<Reply>((resolve) => waiters.push(resolve));
  const ask = (cmd: Command) => {
    const p = next();
    child.send(cmd);
    return p;
  };
  const stop = () => {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.send({ cmd: 'stop' });
    return exited;
  };
  return { child, first: await next(), ask, stop };
}

if (process.argv[2] === 'serve') {
  process.once('disconnect', () => process.exit(0));
  await serve(process.argv[3] ?? 'plain');
}
