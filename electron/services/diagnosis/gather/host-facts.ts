import type { HostFacts } from '../evidence.js';

/** The mesh link the agent runs (KUBESPAN-FACTS). */
export const MESH_LINK = 'kubespan';

/**
 * A read-only script, run as root over SSH: the host clock in ms (first, so
 * the desktop can bracket it by the exec's start and end), rp_filter of every
 * IPv4 link conf, and whether the mesh link exists.
 */
export const hostFactsScript = [
  'export LC_ALL=C PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH',
  'echo "clock $(date +%s%3N)"',
  'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do d=${f%/rp_filter}; echo "rp_filter ${d##*/} $(cat "$f")"; done 2>/dev/null',
  `[ -e /sys/class/net/${MESH_LINK} ] && echo "mesh-link ${MESH_LINK}"`,
  'true',
].join('\n');

/**
 * Parses the script's output (validated: link names and values bounded). The
 * clock offset is the host's time minus the midpoint of the exec on the
 * desktop; null when the read took over 5 s (too loose to judge skew by).
 */
export function parseHostFacts(text: string, startedMs: number, endedMs: number): HostFacts {
  const rpFilter: Record<string, number> = {};
  let clockOffsetMs: number | null = null;
  let meshLink: string | null = null;
  for (const line of text.split('\n').slice(0, 2000)) {
    const rp = /^rp_filter ([A-Za-z0-9_.@-]{1,32}) ([012])$/.exec(line.trim());
    if (rp) rpFilter[rp[1] as string] = Number(rp[2]);
    const clock = /^clock (\d{13})$/.exec(line.trim());
    if (clock && endedMs - startedMs <= 5000) clockOffsetMs = Number(clock[1]) - Math.round((startedMs + endedMs) / 2);
    if (line.trim() === `mesh-link ${MESH_LINK}`) meshLink = MESH_LINK;
  }
  return { rpFilter, clockOffsetMs, meshLink };
}
