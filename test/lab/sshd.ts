import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { mountScript } from './hostfs.js';
import { paths } from './paths.js';
import type { PlannedHost } from './plan.js';
import { run, sleep } from './run.js';

/** A started host: the pid (root namespace) of its init, which is its sshd. */
export interface StartedHost {
  /** The `ip netns exec ... unshare` process that waits on the init. */
  launcherPid: number;
  /** PID 1 of the host's PID namespace (sshd); nsenter target for `lab exec`. */
  initPid: number;
}

/**
 * Starts the host's init in its namespace: `ip netns exec` (network) then
 * `unshare` (mount, UTS, PID), which mounts the private dirs and execs sshd.
 * Resolves when sshd listens on port 22.
 */
export async function startHost(host: PlannedHost): Promise<StartedHost> {
  const log = join(paths.host(host.name), 'sshd.log');
  const fd = openSync(log, 'a', 0o600);
  const child = spawn(
    'ip',
    ['netns', 'exec', host.namespace, 'unshare', '--mount', '--uts', '--pid', '--fork', '--propagation', 'private', '/bin/sh', '-c', mountScript(host)],
    { detached: true, stdio: ['ignore', fd, fd], cwd: '/', env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } },
  );
  closeSync(fd);
  child.unref();
  const launcherPid = child.pid;
  if (launcherPid === undefined) throw new Error(`lab: could not start ${host.name}`);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const deadline = Date.now() + 15_000;
  let initPid: number | null = null;
  while (Date.now() < deadline) {
    if (exited) break;
    initPid ??= await findNamespaceInit(launcherPid);
    if (initPid !== null && (await isListening(initPid, 22))) return { launcherPid, initPid };
    await sleep(30);
  }
  const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-10).join('\n');
  throw new Error(`lab: sshd on ${host.name} did not start (${exited ? 'exited' : 'timed out'}); ${log}:\n${tail}`);
}

/** Is something listening on TCP `port` in the host's network namespace? */
export async function isListening(initPid: number, port: number, proto: 'tcp' | 'udp' = 'tcp'): Promise<boolean> {
  const flag = proto === 'tcp' ? '-Hltn' : '-Hlun';
  const r = await run(['nsenter', '-t', String(initPid), '-n', 'ss', flag, `sport = :${port}`], { allowFailure: true, timeoutMs: 5000 });
  return r.code === 0 && r.stdout.trim() !== '';
}

/** The first descendant of `pid` that lives in another PID namespace than ours. */
async function findNamespaceInit(pid: number): Promise<number | null> {
  const own = await readlink('/proc/self/ns/pid');
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    const ns = await readlink(`/proc/${p}/ns/pid`).catch(() => null);
    if (ns !== null && ns !== own) return p;
    const tasks = await readdir(`/proc/${p}/task`).catch(() => [] as string[]);
    for (const t of tasks) {
      const kids = await readFile(`/proc/${p}/task/${t}/children`, 'utf8').catch(() => '');
      queue.push(...kids.split(/\s+/).filter(Boolean).map(Number));
    }
  }
  return null;
}
