import { z } from 'zod';
import { SpanwiseError } from '../../../agent/shared/errors.js';

const list = (value: string | undefined) => (value ?? '').split(/[,\s]+/).filter(Boolean);
const count = (value: string | undefined) => Number.parseInt(value ?? '0', 10) || 0;

/** What pre-flight learned about a host, before anything was changed. */
export interface PreflightFacts {
  os: string;
  osVersion: string;
  osLike: string[];
  arch: string;
  kernel: string;
  init: 'systemd' | 'openrc' | 'other';
  kernelWireguard: boolean;
  wgVersion: string | null;
  wireguardGoVersion: string | null;
  nodeVersion: string | null;
  /** Where the host's own `node` is (`command -v node`), when it has one. */
  nodePath: string | null;
  /** The C library, where it is musl (Alpine): the official Node builds need glibc. */
  libc: 'glibc' | 'musl';
  /** Which of xz and gzip the host has, to unpack an uploaded runtime. */
  decompressors: Array<'xz' | 'gzip'>;
  /** Runtime versions already cached under /opt/spanwise/runtime. */
  cachedRuntimes: string[];
  /** Where /opt/spanwise/bin/node (the agent's interpreter) points, when it exists. */
  nodeLink: string | null;
  /** The agent was installed from a .deb or .rpm package. */
  agentPackage: 'deb' | 'rpm' | null;
  /** The version of that package. */
  agentPackageVersion: string | null;
  /** The package format the host installs: `deb` where it has dpkg, else `rpm` where it has rpm. */
  packageFormat: 'deb' | 'rpm' | null;
  packageManager: 'apt-get' | 'dnf' | 'yum' | 'apk' | 'zypper' | 'pacman' | null;
  /** Processes bound to UDP 51820 / TCP 50000 (empty = free). */
  udp51820: { bound: boolean; users: string[] };
  tcp50000: { bound: boolean; users: string[] };
  defaultLink: string | null;
  defaultLinkMtu: number | null;
  /** Host clock minus desktop clock, in milliseconds (includes the SSH round trip). */
  clockOffsetMs: number;
  firewalls: string[];
  wireguardLinks: string[];
  ulaRoutes: string[];
  table180Rules: number;
  freeMb: number | null;
  /** The host already carries a Spanwise identity (a re-run or an upgrade). */
  hasSpanwiseIdentity: boolean;
  installedAgentSha256: string | null;
}

const raw = z.record(z.string().regex(/^[a-z0-9_]+$/), z.string().max(200));

/** The `key=value` lines a probe printed (values trimmed and cut at 200 characters). */
export function readKeyValues(stdout: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0)
      entries[line.slice(0, at)] = line
        .slice(at + 1)
        .trim()
        .slice(0, 200);
  }
  return entries;
}

/** Parses and validates the probe's output (values cut at 200 characters); a truncated run is an error, not a guess. */
export function parsePreflight(stdout: string, desktopEpochMs: number): PreflightFacts {
  const entries = readKeyValues(stdout);
  const parsed = raw.safeParse(entries);
  if (!parsed.success || entries.done !== 'yes' || !entries.os || !entries.arch) {
    throw new SpanwiseError(
      'PREFLIGHT_UNREADABLE',
      'the pre-flight probe did not complete on the host',
      'check that the host has a POSIX shell, ip and ss (iproute2), then re-run',
    );
  }
  const f = parsed.data;
  const mtu = count(f.default_link_mtu);
  const free = f.free_mb === undefined ? null : count(f.free_mb);
  const managers = ['apt-get', 'dnf', 'yum', 'apk', 'zypper', 'pacman'] as const;
  return {
    os: f.os ?? '',
    osVersion: f.os_version ?? '',
    osLike: list(f.os_like),
    arch: f.arch ?? '',
    kernel: f.kernel ?? '',
    init: f.init === 'systemd' || f.init === 'openrc' ? f.init : 'other',
    kernelWireguard: f.kernel_wireguard === 'yes',
    wgVersion: f.wg_version || null,
    wireguardGoVersion: f.wireguard_go_version || null,
    nodeVersion: f.node_version || null,
    nodePath: f.node_path || null,
    libc: f.libc === 'musl' ? 'musl' : 'glibc',
    decompressors: (['xz', 'gzip'] as const).filter((z) => list(f.decompressors).includes(z)),
    cachedRuntimes: list(f.spanwise_runtimes),
    nodeLink: f.spanwise_node_link || null,
    agentPackage: f.spanwise_package === 'deb' || f.spanwise_package === 'rpm' ? f.spanwise_package : null,
    agentPackageVersion: f.spanwise_package_version || null,
    packageFormat: f.package_format === 'deb' || f.package_format === 'rpm' ? f.package_format : null,
    packageManager: managers.find((m) => m === f.package_manager) ?? null,
    udp51820: { bound: count(f.udp_51820_bound) > 0, users: list(f.udp_51820_users) },
    tcp50000: { bound: count(f.tcp_50000_bound) > 0, users: list(f.tcp_50000_users) },
    defaultLink: f.default_link || null,
    defaultLinkMtu: mtu > 0 ? mtu : null,
    clockOffsetMs: count(f.epoch_ms) - desktopEpochMs,
    firewalls: list(f.firewalls),
    wireguardLinks: [...new Set(list(f.wireguard_links))],
    ulaRoutes: list(f.ula_routes),
    table180Rules: count(f.table_180),
    freeMb: free,
    hasSpanwiseIdentity: f.spanwise_identity === 'yes',
    installedAgentSha256: f.spanwise_agent_sha256 || null,
  };
}
