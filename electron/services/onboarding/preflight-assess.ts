import type { PreflightFacts } from './preflight.js';
import { runtimePlan } from './runtime-plan.js';

/** One pre-flight finding: a blocker stops onboarding before anything changes. */
export interface PreflightIssue {
  code: string;
  severity: 'blocker' | 'warning' | 'info';
  message: string;
  fix: string;
}

const supportedOs = [
  'debian',
  'ubuntu',
  'raspbian',
  'fedora',
  'rhel',
  'centos',
  'rocky',
  'almalinux',
  'alpine',
  'opensuse-leap',
  'opensuse-tumbleweed',
  'sles',
  'arch',
];

/** How `ss` names the process of a running agent: `node`, or `MainThread` where Node 24+ names its main thread. */
const AGENT_PROCESS_NAMES = ['node', 'MainThread'];

function ours(users: string[], facts: PreflightFacts, owners: string[]): boolean {
  return facts.hasSpanwiseIdentity && (users.length === 0 || users.every((u) => owners.includes(u)));
}

/** Turns facts into issues; the same facts always give the same issues. */
export function assessPreflight(facts: PreflightFacts): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  const add = (code: string, severity: PreflightIssue['severity'], message: string, fix: string) => issues.push({ code, severity, message, fix });
  const family = [facts.os, ...facts.osLike];
  if (!family.some((id) => supportedOs.includes(id))) {
    add(
      'UNSUPPORTED_OS',
      'blocker',
      `${facts.os || 'this OS'} ${facts.osVersion} is not supported`,
      'use a Debian, Ubuntu, Fedora/RHEL, Alpine, openSUSE or Arch Linux host',
    );
  }
  const missing = [!facts.wgVersion && 'wireguard-tools', !facts.kernelWireguard && !facts.wireguardGoVersion && 'wireguard-go'].filter(Boolean) as string[];
  if (missing.length && !facts.packageManager) {
    add(
      'NO_PACKAGE_MANAGER',
      'blocker',
      `missing ${missing.join(', ')} and no known package manager to install them`,
      `install ${missing.join(', ')} by hand, then re-run`,
    );
  } else if (missing.length) {
    add('PACKAGES_MISSING', 'info', `will install ${missing.join(', ')} with ${facts.packageManager}`, 'nothing to do');
  }
  const runtime = runtimePlan(facts);
  if (runtime.kind === 'blocked') add(runtime.code, 'blocker', runtime.message, runtime.fix);
  else if (runtime.kind === 'host') add('NODE_PRESENT', 'info', `the agent runs with the host's node ${runtime.version} (${runtime.path})`, 'nothing to do');
  else
    add(
      'RUNTIME_UPLOAD',
      'info',
      runtime.cached
        ? `uses the cached Node ${runtime.entry.version} runtime`
        : `will upload the Node ${runtime.entry.version} runtime for ${runtime.arch} (${runtime.compression})`,
      'nothing to do',
    );
  if (facts.udp51820.bound && !ours(facts.udp51820.users, facts, ['wireguard-go'])) {
    const by =
      facts.udp51820.users.join(', ') ||
      (facts.wireguardLinks.filter((l) => l !== 'kubespan').join(', ') ? `WireGuard link ${facts.wireguardLinks.join(', ')}` : 'another program');
    add(
      'PORT_51820_TAKEN',
      'blocker',
      `UDP 51820 is already used by ${by}`,
      'stop that program or move it to another port (a pod hostPort on 51820 counts too), then re-run',
    );
  }
  if (facts.tcp50000.bound && !ours(facts.tcp50000.users, facts, AGENT_PROCESS_NAMES)) {
    add(
      'PORT_50000_TAKEN',
      'blocker',
      `TCP 50000 is already used by ${facts.tcp50000.users.join(', ') || 'another program'}`,
      'stop that program (the agent API needs TCP 50000), then re-run',
    );
  }
  const others = facts.wireguardLinks.filter((link) => link !== 'kubespan');
  if (others.length)
    add(
      'OTHER_WIREGUARD',
      'warning',
      `other WireGuard links exist: ${others.join(', ')}`,
      'make sure their allowed IPs do not overlap the cluster ULA or node addresses',
    );
  if (facts.defaultLinkMtu !== null && facts.defaultLinkMtu < 1360) {
    add(
      'UNDERLAY_MTU_SMALL',
      'warning',
      `the default-route link ${facts.defaultLink} has MTU ${facts.defaultLinkMtu}; the mesh needs 80 bytes of headroom above 1280`,
      `set the mesh MTU to ${Math.max(1280, facts.defaultLinkMtu - 80)} in the cluster settings`,
    );
  }
  const skew = Math.abs(facts.clockOffsetMs);
  if (skew > 300_000)
    add(
      'CLOCK_SKEW',
      'blocker',
      `the host clock is ${Math.round(facts.clockOffsetMs / 1000)} s off`,
      'enable time sync (chrony or systemd-timesyncd), then re-run',
    );
  else if (skew > 5_000)
    add('CLOCK_SKEW', 'warning', `the host clock is ${Math.round(facts.clockOffsetMs / 1000)} s off`, 'enable time sync (chrony or systemd-timesyncd)');
  if (facts.freeMb !== null && facts.freeMb < 50) add('DISK_FULL', 'blocker', `only ${facts.freeMb} MB free under /opt`, 'free at least 50 MB, then re-run');
  if (facts.firewalls.length)
    add('FIREWALL_PRESENT', 'info', `host firewall in use: ${facts.firewalls.join(', ')}`, 'diagnosis will check that it allows UDP 51820 and TCP 50000');
  return issues;
}
