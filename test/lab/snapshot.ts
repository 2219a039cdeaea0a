import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { PREFIX, STATE_DIR } from './constants.js';
import { run } from './run.js';

/**
 * What the lab may touch on the machine, for a before/after comparison. The
 * root namespace's namespaces, links and nftables are compared whole;
 * processes, mounts and /run only as far as they can be the lab's, so other
 * work on the machine does not count.
 */
export interface MachineSnapshot {
  namespaces: string;
  links: string;
  nftables: string;
  /** Live processes in a lab netns, in a lab host's mount namespace, or naming the lab. */
  processes: string[];
  /** Root mount namespace entries naming the lab or its netns handles. */
  mounts: string[];
  /** Entries of /run the lab may create. */
  run: string[];
}

export async function snapshotMachine(): Promise<MachineSnapshot> {
  const [ns, links, nft] = await Promise.all([run(['ip', 'netns', 'list']), run(['ip', '-br', 'link']), run(['nft', 'list', 'ruleset'])]);
  const labNets = new Set<string>();
  if (existsSync('/run/netns')) {
    for (const n of readdirSync('/run/netns').filter((x) => x.startsWith(PREFIX))) {
      try {
        labNets.add(`net:[${statSync(`/run/netns/${n}`).ino}]`);
      } catch {
        /* raced with a delete */
      }
    }
  }
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const net = readlinkSync(`/proc/${pid}/ns/net`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const inHost = readFileSync(`/proc/${pid}/mountinfo`, 'utf8').includes(`upperdir=${STATE_DIR}/`);
      if (labNets.has(net) || inHost || cmdline.includes(STATE_DIR) || cmdline.includes(PREFIX)) processes.push(`${pid} ${cmdline}`);
    } catch {
      /* exited, or a zombie */
    }
  }
  return {
    namespaces: ns.stdout,
    links: links.stdout,
    nftables: nft.stdout,
    processes: processes.sort(),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ').slice(3, 5).join(' '))
      .filter((m) => m.includes(STATE_DIR) || m.includes(PREFIX) || m.endsWith(' /run/netns'))
      .sort(),
    run: readdirSync('/run')
      .filter((e) => ['netns', 'mount', STATE_DIR.split('/').pop()].includes(e))
      .sort(),
  };
}
