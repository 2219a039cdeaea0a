import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { accountFiles, hashPassword, newPassword } from './accounts.js';
import { cleanupLab } from './cleanup.js';
import { DESKTOP_ADDRESS, DESKTOP_LINK, INET_ADDRESS, INET_NS, LAN_BRIDGE, LAN_PREFIX_LEN, PUBLIC_BRIDGE, PUBLIC_PREFIX_LEN, STATE_DIR } from './constants.js';
import { WAN, gatewayRuleset, hostRuleset } from './firewall.js';
import { prepareHostFs } from './hostfs.js';
import { paths } from './paths.js';
import { IPV6_PREFIX_LEN, type LabPlan, type PlannedHost, planScenario } from './plan.js';
import { assertPrerequisites } from './prerequisites.js';
import { ipBatch, run } from './run.js';
import { DEFAULT_SCENARIO, getScenario } from './scenarios/index.js';
import { startHost } from './sshd.js';
import { type LabState, writeState } from './state.js';
import { type LabStatus, labStatus, renderKnownHosts, renderSshConfig } from './status.js';

/** Options for `upLab`. */
export interface UpOptions {
  /** Rebuild even when the same scenario is already up and healthy. */
  fresh?: boolean;
  /** Progress lines (never secrets); default silent. */
  log?: (line: string) => void;
}

/**
 * Brings a scenario up and returns its status. Idempotent: when the same
 * scenario is already up and every host runs, returns it as is (unless
 * `fresh`); otherwise first removes whatever a previous or crashed run left,
 * then builds from scratch. On failure, removes what it built and rethrows.
 */
export async function upLab(scenarioName: string = DEFAULT_SCENARIO, options: UpOptions = {}): Promise<LabStatus> {
  assertPrerequisites();
  const log = options.log ?? (() => undefined);
  const plan = planScenario(getScenario(scenarioName));
  const current = await labStatus();
  if (!options.fresh && current.up && current.scenario === plan.scenario) {
    log(`lab: ${plan.scenario} is already up`);
    return current;
  }
  if (current.phase !== 'down' || existsSync(STATE_DIR)) log('lab: removing the previous lab');
  await cleanupLab();
  try {
    await build(plan, log);
  } catch (err) {
    log('lab: build failed, cleaning up');
    await cleanupLab();
    throw err;
  }
  const status = await labStatus();
  if (!status.up) throw new Error(`lab: ${plan.scenario} built but not every host is running`);
  return status;
}

async function build(plan: LabPlan, log: (line: string) => void): Promise<void> {
  const t0 = Date.now();
  const state: LabState = {
    version: 1,
    scenario: plan.scenario,
    phase: 'building',
    startedAt: new Date().toISOString(),
    namespaces: [INET_NS, ...plan.hosts.map((h) => h.namespace)],
    createdNetnsDir: !existsSync('/run/netns'),
    hosts: [],
  };
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  await writeState(state);

  log(`lab: building ${plan.scenario} (${plan.hosts.length} hosts)`);
  const [secrets] = await Promise.all([makeSecrets(), buildNetwork(plan)]);
  log(`lab: network ready (${Date.now() - t0} ms)`);

  const hostsLines = plan.hosts.map((h) => `${h.publicAddress ?? h.privateAddress} ${h.name}`);
  const hostKeys = await Promise.all(plan.hosts.map((h) => prepareHostFs(h, { accounts: secrets.accounts, rootPublicKey: secrets.rootPublicKey, hostsLines })));
  const started = await Promise.all(plan.hosts.map((h) => startHost(h)));
  state.hosts = plan.hosts.map((h, i) => ({ ...h, hostKey: hostKeys[i] as string, initPid: (started[i] as { initPid: number }).initPid }));
  state.phase = 'up';
  await writeFile(paths.knownHosts, renderKnownHosts(state.hosts), { mode: 0o600 });
  await writeState(state);
  await writeFile(paths.sshConfig, renderSshConfig(await labStatus()), { mode: 0o600 });
  log(`lab: ${plan.scenario} is up (${Date.now() - t0} ms)`);
}

/** Root key pair, the sudo user's password (files 0600) and account files with its hash. */
async function makeSecrets(): Promise<{ rootPublicKey: string; accounts: Awaited<ReturnType<typeof accountFiles>> }> {
  await mkdir(paths.secrets, { recursive: true, mode: 0o700 });
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'spanwise-lab', '-f', paths.identityFile]);
  const password = newPassword();
  await writeFile(paths.passwordFile, `${password}\n`, { mode: 0o600 });
  const accounts = await accountFiles(await hashPassword(password));
  return { rootPublicKey: await readFile(`${paths.identityFile}.pub`, 'utf8'), accounts };
}

/**
 * Namespaces, veth pairs, bridges, addresses, routes, sysctls and nftables.
 * Veths are created directly inside their namespaces; the only link in the
 * root namespace is the desktop's (`swlab-desk`, 198.18.0.2/16).
 */
async function buildNetwork(plan: LabPlan): Promise<void> {
  const { hosts } = plan;
  await ipBatch([`netns add ${INET_NS}`, ...hosts.map((h) => `netns add ${h.namespace}`)]);

  const gatewayOf = (h: PlannedHost): PlannedHost => hosts.find((g) => g.name === h.gateway) as PlannedHost;
  const rootLinks = [`link add ${DESKTOP_LINK} type veth peer name p-desk netns ${INET_NS}`];
  for (const h of hosts) {
    const ifname = h.site === 'gateway' ? WAN : 'eth0';
    const peerNs = h.gateway ? gatewayOf(h).namespace : INET_NS;
    const peer = h.gateway ? `l-${h.name}` : `p-${h.name}`;
    rootLinks.push(`link add ${ifname} netns ${h.namespace} address ${h.mac} mtu ${h.mtu} type veth peer name ${peer} netns ${peerNs} mtu ${h.mtu}`);
  }
  await ipBatch(rootLinks);
  await ipBatch([`addr add ${DESKTOP_ADDRESS}/${PUBLIC_PREFIX_LEN} dev ${DESKTOP_LINK}`, `link set ${DESKTOP_LINK} up`]);

  const publicPorts = ['p-desk', ...hosts.filter((h) => !h.gateway).map((h) => `p-${h.name}`)];
  const jobs: Promise<unknown>[] = [
    ipBatch(
      [
        'link set lo up',
        // No multicast snooping: without a querier it can swallow IPv6 neighbour solicitations.
        `link add ${PUBLIC_BRIDGE} type bridge mcast_snooping 0`,
        `addr add ${INET_ADDRESS}/${PUBLIC_PREFIX_LEN} dev ${PUBLIC_BRIDGE}`,
        ...publicPorts.flatMap((p) => [`link set ${p} master ${PUBLIC_BRIDGE}`, `link set ${p} up`]),
        `link set ${PUBLIC_BRIDGE} up`,
      ],
      INET_NS,
    ),
    // The "internet" namespace routes nowhere: traffic to anything outside the lab dies there.
    sysctl(INET_NS, 'net.ipv4.ip_forward', '0'),
  ];
  for (const h of hosts) {
    if (h.site === 'gateway') {
      const lanPorts = hosts.filter((m) => m.gateway === h.name).map((m) => `l-${m.name}`);
      jobs.push(
        (async () => {
          await ipBatch(
            [
              'link set lo up',
              `addr add ${h.publicAddress}/${PUBLIC_PREFIX_LEN} dev ${WAN}`,
              `link set ${WAN} up`,
              `route add default via ${INET_ADDRESS}`,
              `link add ${LAN_BRIDGE} type bridge`,
              `addr add ${h.privateAddress}/${LAN_PREFIX_LEN} dev ${LAN_BRIDGE}`,
              ...lanPorts.flatMap((p) => [`link set ${p} master ${LAN_BRIDGE}`, `link set ${p} up`]),
              `link set ${LAN_BRIDGE} up`,
            ],
            h.namespace,
          );
          await sysctl(h.namespace, 'net.ipv4.ip_forward', '1');
          await nft(h.namespace, gatewayRuleset(h));
        })(),
      );
    } else {
      const via = h.gateway ? gatewayOf(h).privateAddress : INET_ADDRESS;
      const address = h.publicAddress ? `${h.publicAddress}/${PUBLIC_PREFIX_LEN}` : `${h.privateAddress}/${LAN_PREFIX_LEN}`;
      const v6 = h.ipv6Address ? [`addr add ${h.ipv6Address}/${IPV6_PREFIX_LEN} dev eth0 nodad`] : [];
      jobs.push(ipBatch(['link set lo up', `addr add ${address} dev eth0`, ...v6, 'link set eth0 up', `route add default via ${via}`], h.namespace));
      const rules = hostRuleset(h);
      if (rules) jobs.push(nft(h.namespace, rules));
    }
  }
  await Promise.all(jobs);
}

function sysctl(namespace: string, key: string, value: string): Promise<unknown> {
  return run(['ip', 'netns', 'exec', namespace, 'sysctl', '-qw', `${key}=${value}`]);
}

function nft(namespace: string, ruleset: string): Promise<unknown> {
  return run(['ip', 'netns', 'exec', namespace, 'nft', '-f', '-'], { input: ruleset });
}
