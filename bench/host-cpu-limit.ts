// Gives each lab host its own CPU budget with a cgroup, so that eight lab hosts behave
// like eight small machines instead of eight namespaces sharing this machine's cores.
// A host's sshd is moved into the group; everything an SSH session starts inherits it.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V1_ROOT = '/sys/fs/cgroup/cpu';
const V2_ROOT = '/sys/fs/cgroup';
const PERIOD_US = 10_000;

function controller(): { root: string; limit: (dir: string, quotaUs: number) => void } {
  if (existsSync(join(V1_ROOT, 'cpu.cfs_quota_us'))) {
    return {
      root: V1_ROOT,
      limit: (dir, quotaUs) => {
        writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
      },
    };
  }
  if (existsSync(join(V2_ROOT, 'cgroup.controllers'))) {
    return { root: V2_ROOT, limit: (dir, quotaUs) => writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${PERIOD_US}`) };
  }
  throw new Error('no cgroup cpu controller found under /sys/fs/cgroup (needed to give lab hosts their own CPU budget)');
}

/**
 * Caps each host (by its sshd pid) at `cores` CPUs. Returns a function that moves
 * the hosts' remaining processes back and removes the groups.
 */
export function limitHostCpu(hosts: { name: string; pid: number }[], cores: number): () => void {
  const { root, limit } = controller();
  const parent = join(root, 'spanwise-bench');
  mkdirSync(parent, { recursive: true });
  const groups: string[] = [];
  for (const host of hosts) {
    const dir = join(parent, host.name);
    mkdirSync(dir, { recursive: true });
    groups.push(dir);
    limit(dir, Math.round(cores * PERIOD_US));
    writeFileSync(join(dir, 'cgroup.procs'), String(host.pid));
  }
  return () => {
    for (const dir of groups) {
      for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync(join(root, 'cgroup.procs'), pid);
        } catch {
          // the process exited meanwhile
        }
      }
      rmdirSync(dir);
    }
    rmdirSync(parent);
  };
}
