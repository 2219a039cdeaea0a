import { firewalldReportLines, firewalldReportSections } from '../firewall/firewalld-report.js';
import type { FirewallOutputs } from '../firewall/inspect.js';
import { iptablesReportLines, iptablesReportSections } from '../firewall/ipt-report.js';
import { ufwReportLines, ufwReportSections } from '../firewall/ufw-report.js';

const MAX_SECTION = 512 * 1024;

/**
 * A read-only script, run as root over SSH, that prints each firewall's
 * rules (where the tool exists) and the links' MTUs, in `### name` sections.
 */
export const hostReportScript = [
  'export LC_ALL=C PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH',
  "command -v nft >/dev/null 2>&1 && { echo '### nft'; nft -j list ruleset 2>&1; }",
  ...iptablesReportLines,
  ...ufwReportLines,
  ...firewalldReportLines,
  'echo \'### mtu\'; for d in /sys/class/net/*; do [ -e "$d/mtu" ] && echo "${d##*/} $(cat "$d/mtu")"; done',
  "echo '### route'; ip -4 route show default 2>/dev/null | head -n 1",
  'true',
].join('\n');

const REPORT_FIELDS: ReadonlyArray<readonly [string, Exclude<keyof FirewallOutputs, 'nft'>]> = [
  ...iptablesReportSections,
  ...ufwReportSections,
  ...firewalldReportSections,
];

/** What the host report says. */
export interface HostReport {
  firewall: FirewallOutputs;
  mtus: Record<string, number>;
  /** The link of the default route, if any. */
  defaultLink: string | null;
}

/** Splits the script's output into its sections (validated: sizes bounded, MTUs numeric). */
export function parseHostReport(text: string): HostReport {
  const sections = new Map<string, string>();
  let name: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (name) sections.set(name, body.join('\n').slice(0, MAX_SECTION));
  };
  for (const line of text.split('\n')) {
    const head = /^### ([a-z0-9-]+)$/.exec(line);
    if (head) {
      flush();
      name = head[1] as string;
      body = [];
    } else body.push(line);
  }
  flush();
  const mtus: Record<string, number> = {};
  for (const line of (sections.get('mtu') ?? '').split('\n')) {
    const m = /^([A-Za-z0-9_.@-]{1,32}) (\d{3,5})$/.exec(line.trim());
    if (m) mtus[m[1] as string] = Number(m[2]);
  }
  const firewall: FirewallOutputs = {};
  if (sections.has('nft')) firewall.nft = sections.get('nft');
  for (const [section, field] of REPORT_FIELDS) if (sections.has(section)) firewall[field] = sections.get(section);
  const defaultLink = /\bdev (\S+)/.exec(sections.get('route') ?? '')?.[1] ?? null;
  return { firewall, mtus, defaultLink };
}

/** Sizes tried for path MTU, largest first (IPv4 total packet sizes). */
export const PMTU_SIZES = [1500, 1492, 1480, 1472, 1460, 1450, 1440, 1420, 1400, 1380, 1360, 1340, 1300, 1280];

/** WireGuard's own firewall mark (KUBESPAN-FACTS): pings carrying it leave on the underlay, not through the mesh. */
const UNDERLAY_MARK = 0x20;

/**
 * A script that prints "ip size" for the largest size `ping -M do` gets
 * through to each target over the underlay ("ip 0" when it does not answer
 * ping at all). Targets and sizes are tried at once, three pings each (one lost
 * or late reply on a busy host must not read as a smaller path MTU), so it takes
 * about a second, two when replies are lost.
 */
export function pathMtuScript(targets: string[]): string {
  const ips = [...new Set(targets.filter((t) => /^[0-9.]{7,15}$/.test(t)))];
  return [
    'command -v ping >/dev/null 2>&1 || exit 0',
    'dir=$(mktemp -d) || exit 0',
    `for ip in ${ips.join(' ')}; do`,
    `  for size in ${PMTU_SIZES.join(' ')}; do`,
    `    ( ping -n -c 3 -i 0.2 -W 2 -m ${UNDERLAY_MARK} -M do -s $((size - 28)) "$ip" >/dev/null 2>&1 && echo "$size" >> "$dir/$ip" ) &`,
    '  done',
    'done',
    'wait',
    `for ip in ${ips.join(' ')}; do echo "$ip $(sort -n "$dir/$ip" 2>/dev/null | tail -n 1 | grep . || echo 0)"; done`,
    'rm -rf "$dir"',
  ].join('\n');
}

/** Parses the path MTU script's output into ip -> MTU (absent when nothing got through). */
export function parsePathMtus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([0-9.]{7,15}) (\d{1,5})$/.exec(line.trim());
    if (m && Number(m[2]) >= 576) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}
