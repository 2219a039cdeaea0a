import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One Prometheus scrape job: a name and its `host:port` targets. */
export interface ScrapeJob {
  job: string;
  targets: string[];
}

/** A sample of an instant query: its labels and value. */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** Debian's Prometheus, run by a test on `host` with its TSDB in a temporary directory. */
export interface TestPrometheus {
  readonly url: string;
  /** Runs an instant query through the HTTP API. */
  query(promql: string): Promise<Sample[]>;
  /** The scrape targets and their health, for failure messages. */
  targets(): Promise<string>;
  /** Stops Prometheus and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function config(jobs: readonly ScrapeJob[]): string {
  const scrape = jobs.map((j) => `  - job_name: ${j.job}\n    static_configs:\n      - targets: [${j.targets.map((t) => `'${t}'`).join(', ')}]`);
  return `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n${scrape.join('\n')}\n`;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `prometheus` scraping `jobs` every second and waits until it is ready. */
export async function startPrometheus(jobs: readonly ScrapeJob[], host = '127.0.0.1'): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'spanwise-prometheus-'));
  await writeFile(join(dir, 'prometheus.yml'), config(jobs));
  const port = await freePort(host);
  const url = `http://${host}:${port}`;
  const child = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${host}:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  const spawned = new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await spawned;
    for (let i = 0; ; i += 1) {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
      const ready = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (i >= 300) throw new Error(`prometheus not ready on ${url} after 30 s: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw new Error(`cannot run prometheus (Debian package prometheus): ${(error as Error).message}`);
  }
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error ?? response.status}`);
      return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async targets() {
      const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
        data: { activeTargets: { scrapeUrl: string; health: string; lastError: string }[] };
      };
      return body.data.activeTargets.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join('\n');
    },
    stop,
  };
}
