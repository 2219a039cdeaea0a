import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { DESKTOP_LINK, PREFIX, STATE_DIR } from './constants.js';
import { run, sleep } from './run.js';
import { type LabState, readState } from './state.js';

const NETNS_DIR = '/run/netns';

/** Lab namespaces that exist now (every one carries the prefix). */
function labNamespaces(): string[] {
  return existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR).filter((n) => n.startsWith(PREFIX)) : [];
}

/** Root-namespace pids of every process inside the given network namespaces. */
async function pidsIn(namespaces: string[]): Promise<number[]> {
  const lists = await Promise.all(namespaces.map((ns) => run(['ip', 'netns', 'pids', ns], { allowFailure: true })));
  return [...new Set(lists.flatMap((r) => r.stdout.split(/\s+/).filter(Boolean).map(Number)))];
}

/**
 * Removes everything a lab run (finished or crashed) created: kills every
 * process in a lab namespace (killing a host's init takes its whole PID
 * namespace with it), deletes the namespaces (and with them their links,
 * nftables rules and sysctls), the desktop link, the state dir, and
 * /run/netns if the lab created it. Safe to call when nothing is up.
 */
export async function cleanupLab(): Promise<void> {
  const state = await readState();
  const namespaces = labNamespaces();

  // Hosts' inits first: each takes its PID namespace with it and is reaped by
  // its launcher (so no zombie is left), then anything else in a lab netns.
  const inits = await liveInits(state);
  await killAndWait(async () => inits.filter(isAlive));
  // Let the launchers reap them before the launchers themselves go.
  for (let i = 0; i < 40 && inits.some((pid) => existsSync(`/proc/${pid}`)); i++) await sleep(50);
  await killAndWait(() => pidsIn(namespaces));

  if (namespaces.length > 0) await run(['ip', '-force', '-batch', '-'], { input: namespaces.map((n) => `netns del ${n}\n`).join(''), allowFailure: true });
  const links = await run(['ip', '-o', 'link', 'show'], { allowFailure: true });
  const leftover = links.stdout
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => !!n && (n.startsWith(PREFIX) || n === DESKTOP_LINK));
  for (const link of leftover) await run(['ip', 'link', 'del', link], { allowFailure: true });

  if (state?.createdNetnsDir && existsSync(NETNS_DIR) && readdirSync(NETNS_DIR).length === 0) {
    while (isMountPoint(NETNS_DIR)) {
      if ((await run(['umount', '-n', NETNS_DIR], { allowFailure: true, env: { ...process.env, LIBMOUNT_UTAB: `${STATE_DIR}/utab` } })).code !== 0) break;
    }
    await rmdir(NETNS_DIR).catch(() => undefined);
  }
  await rm(STATE_DIR, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** Init pids from the state file that still live in their host's netns (never a reused pid). */
async function liveInits(state: LabState | null): Promise<number[]> {
  const out: number[] = [];
  for (const h of state?.hosts ?? []) {
    try {
      const ns = statSync(`${NETNS_DIR}/${h.namespace}`);
      if (readlinkSync(`/proc/${h.initPid}/ns/net`) === `net:[${ns.ino}]`) out.push(h.initPid);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** SIGKILLs what `list` returns until it returns nothing (at most ~5 s). */
async function killAndWait(list: () => Promise<number[]>): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = await list();
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await sleep(attempt === 0 ? 10 : 100);
  }
}

/** Exists and is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
}

function isMountPoint(path: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[4] === path);
  } catch {
    return false;
  }
}

/**
 * Takes the lab down: afterwards no lab namespace, link, nftables rule,
 * process, mount or file is left (the same as `cleanupLab`).
 */
export async function downLab(): Promise<void> {
  await cleanupLab();
}
