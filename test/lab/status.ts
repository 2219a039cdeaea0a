import { readFile, readlink, stat } from 'node:fs/promises';
import { DESKTOP_ADDRESS, DESKTOP_LINK, STATE_DIR, SUDO_USER } from './constants.js';
import { paths } from './paths.js';
import type { HostSite } from './scenario.js';
import { type HostState, type LabState, readState } from './state.js';

/** How to log in as root on a lab host, from the desktop (root namespace). */
export interface LabSsh {
  /** Address to dial: public for cloud hosts and gateways, LAN address behind a gateway. */
  host: string;
  port: number;
  user: 'root';
  /** Private key (0600) that root's authorized_keys trusts; made per lab run. */
  identityFile: string;
  /** Jump host as `user@host:port` for hosts behind a gateway, else null. */
  jump: string | null;
  /** known_hosts with every lab host key (by address and by name). */
  knownHostsFile: string;
  /** The host's own public host key line. */
  hostKey: string;
}

/** The non-root account on every host: password login, sudo asks for the password. */
export interface LabSudoUser {
  user: string;
  password: string;
}

/** One running lab host. */
export interface LabHost {
  name: string;
  site: HostSite;
  /** The scenario's name for the site (e.g. `dc`). */
  siteName: string;
  /** Network namespace (`ip netns exec` works too, but `labExec` also enters the private dirs). */
  namespace: string;
  /** Address on the simulated public net; null behind a gateway. */
  publicAddress: string | null;
  /** Address on the site LAN; null for cloud hosts. Gateways have both. */
  privateAddress: string | null;
  /** The address other sites dial: its own public address or its gateway's. */
  reachableAddress: string;
  /** Gateway in front of the host, by name. */
  gateway: string | null;
  mtu: number;
  mac: string;
  ssh: LabSsh;
  sudoUser: LabSudoUser;
  /** PID 1 of the host (its sshd) in the root namespace. */
  pid: number;
  /** Whether that process is still alive in the host's namespace. */
  running: boolean;
}

/** What `lab status` reports. */
export interface LabStatus {
  /** True when a scenario is fully built and every host is running. */
  up: boolean;
  scenario: string | null;
  /** building (or a crashed build), up, or down. */
  phase: 'down' | 'building' | 'up';
  stateDir: string;
  /** The root namespace's place on the public net. */
  desktop: { address: string; link: string };
  sshConfigFile: string;
  hosts: LabHost[];
}

/** Reads the lab's state and checks which hosts still run. Never throws for a lab that is down. */
export async function labStatus(): Promise<LabStatus> {
  const state = await readState();
  const base = { stateDir: STATE_DIR, desktop: { address: DESKTOP_ADDRESS, link: DESKTOP_LINK }, sshConfigFile: paths.sshConfig };
  if (!state) return { ...base, up: false, scenario: null, phase: 'down', hosts: [] };
  const password = (await readFile(paths.passwordFile, 'utf8').catch(() => '')).trim();
  const hosts = await Promise.all(state.hosts.map((h) => toLabHost(state, h, password)));
  const up = state.phase === 'up' && hosts.length > 0 && hosts.every((h) => h.running);
  return { ...base, up, scenario: state.scenario, phase: state.phase, hosts };
}

async function toLabHost(state: LabState, h: HostState, password: string): Promise<LabHost> {
  const gw = h.gateway ? state.hosts.find((g) => g.name === h.gateway) : undefined;
  const reachableAddress = h.publicAddress ?? gw?.publicAddress ?? (h.privateAddress as string);
  return {
    name: h.name,
    site: h.site,
    siteName: h.siteName,
    namespace: h.namespace,
    publicAddress: h.publicAddress,
    privateAddress: h.privateAddress,
    reachableAddress,
    gateway: h.gateway,
    mtu: h.mtu,
    mac: h.mac,
    ssh: {
      host: h.publicAddress ?? (h.privateAddress as string),
      port: 22,
      user: 'root',
      identityFile: paths.identityFile,
      jump: gw?.publicAddress ? `root@${gw.publicAddress}:22` : null,
      knownHostsFile: paths.knownHosts,
      hostKey: h.hostKey,
    },
    sudoUser: { user: SUDO_USER, password },
    pid: h.initPid,
    running: await isRunning(h),
  };
}

/** Alive and still in the host's network namespace (so a reused pid does not count). */
async function isRunning(h: HostState): Promise<boolean> {
  try {
    const [ns, link] = await Promise.all([stat(`/run/netns/${h.namespace}`), readlink(`/proc/${h.initPid}/ns/net`)]);
    return link === `net:[${ns.ino}]`;
  } catch {
    return false;
  }
}

/** Finds a host by name in a status; throws naming the known hosts. */
export function findHost(status: LabStatus, name: string): LabHost {
  const host = status.hosts.find((h) => h.name === name);
  if (!host)
    throw new Error(
      `no lab host "${name}"${status.scenario ? ` in ${status.scenario}` : ' (the lab is down)'}; hosts: ${status.hosts.map((h) => h.name).join(', ') || 'none'}`,
    );
  return host;
}

/**
 * OpenSSH client config for every host: `ssh -F <file> dc1` works, hosts
 * behind a gateway go through it with ProxyJump. Host keys are pinned.
 */
export function renderSshConfig(status: LabStatus): string {
  const out = [`# Spanwise lab (${status.scenario ?? 'down'}); use: ssh -F ${status.sshConfigFile} HOST`, ''];
  for (const h of status.hosts) {
    out.push(
      `Host ${h.name}`,
      `  HostName ${h.ssh.host}`,
      `  Port ${h.ssh.port}`,
      `  User ${h.ssh.user}`,
      `  IdentityFile ${h.ssh.identityFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${h.ssh.knownHostsFile}`,
      '  StrictHostKeyChecking yes',
      '  LogLevel ERROR',
    );
    if (h.gateway) out.push(`  ProxyJump ${h.gateway}`);
    out.push('');
  }
  return out.join('\n');
}

/** known_hosts lines: each host key under the host's name and SSH address. */
export function renderKnownHosts(hosts: HostState[]): string {
  return hosts.map((h) => `${h.name},${h.publicAddress ?? h.privateAddress} ${h.hostKey.split(' ').slice(0, 2).join(' ')}`).join('\n') + '\n';
}
