import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { STATE_DIR } from './constants.js';
import { run } from './run.js';

/** What the lab may touch on the machine, captured for before/after comparison. */
export interface MachineSnapshot {
  namespaces: string;
  links: string;
  nftables: string;
  /** Live processes outside our network namespace, or mentioning the lab. */
  processes: string[];
  mounts: string[];
  run: string[];
  stateDir: boolean;
}

/** Captures the root namespace's namespaces, links, nftables, lab processes, mounts and /run. */
export async function snapshotMachine(): Promise<MachineSnapshot> {
  const [ns, links, nft] = await Promise.all([
    run(['ip', 'netns', 'list']), run(['ip', '-br', 'link']), run(['nft', 'list', 'ruleset']),
  ]);
  const ownNet = readlinkSync('/proc/self/ns/net');
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const net = readlinkSync(`/proc/${pid}/ns/net`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (net !== ownNet || cmdline.includes(STATE_DIR) || cmdline.includes('swlab-')) processes.push(`${pid} ${cmdline}`);
    } catch { /* exited, or a zombie */ }
  }
  return {
    namespaces: ns.stdout,
    links: links.stdout,
    nftables: nft.stdout,
    processes: processes.sort(),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ').slice(3, 5).join(' ')).filter(Boolean).sort(),
    run: readdirSync('/run').sort(),
    stateDir: existsSync(STATE_DIR),
  };
}
