import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopCertificate } from '../../electron/services/agents/agent-connection.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { buildApp } from '../browser/build-renderer.js';
import { OVERLAY_DIRS, PRIVATE_DIRS } from './hostfs.js';
import { labExec } from './index.js';
import { paths } from './paths.js';
import { run } from './run.js';
import { useLab } from './use-lab.js';

/**
 * A password-authenticated sudo user whose sudo does not ask (NOPASSWD, as on
 * most cloud images). No secret may reach a file of a host other than the ones
 * meant to hold it (all 0600), nor any progress event, result or error: the SSH
 * and sudo password, the cluster secret, the CA key, the desktop's client key,
 * the SSH private key, and each host's own TLS, discovery and WireGuard keys.
 */
const lab = useLab('all-open');
let services: Services;
let dataDir: string;
const seen: string[] = [];
const WRONG_PASSWORD = `wrong-${Date.now().toString(36)}-password`;

/**
 * Files of the host that contain `needle`: its private /root, /home, /tmp and /run, searched
 * inside the host, and what it wrote to /etc, /var and /opt (the overlay uppers, searched from
 * outside: the lower layers are the machine's own large dirs). The needle goes on stdin, never in argv.
 */
async function filesHolding(host: string, needle: string): Promise<string[]> {
  const input = `${needle}\n`;
  const inside = await labExec(host, `grep -rlF -f - ${PRIVATE_DIRS.map((d) => `/${d}`).join(' ')} 2>/dev/null || true`, { input, timeoutMs: 120_000 });
  const base = paths.host(host);
  const written = await run(['grep', '-rlF', '-f', '-', ...OVERLAY_DIRS.map((d) => join(base, d))], { input, allowFailure: true, timeoutMs: 120_000 });
  if (written.code > 1) throw new Error(`grep over ${base} failed: ${written.stderr}`);
  const uppers = written.stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => file.slice(base.length));
  return [...inside.stdout.split('\n').filter(Boolean), ...uppers].sort();
}

/** A secret, and per host the only files that may hold it. */
interface Secret {
  name: string;
  value: string;
  files: Record<string, string[]>;
}

const AGENT_KEY = '/etc/spanwise/tls/agent.key';
const DISCOVERY_KEY = '/etc/spanwise/tls/discovery.key';
/** The agent config, and the WireGuard preshared key the agent hands `wg` (KubeSpan's PSK is the cluster secret). */
const AGENT_SECRET_FILES = ['/etc/spanwise/agent.yaml', '/run/spanwise/kubespan.psk'];
/** The persisted identity, and the key file the agent hands `wg`. */
const WIREGUARD_KEY_FILES = ['/run/spanwise/kubespan.key', '/var/lib/spanwise/kubespan-identity.yaml'];

/** The second line of a PEM's body: 64 characters of the key's base64, found in the PEM and in any one-line copy of it. */
function pemLine(pem: string): string {
  const line = pem.trim().split('\n')[2];
  if (!line || line.startsWith('-----')) throw new Error('a key PEM too short to take a line from');
  return line.trim();
}

beforeAll(async () => {
  buildApp();
  dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-nopasswd-')), 'data');
  services = createServices({ mode: 'web', dataDir });
  services.events.subscribe((_event, payload) => seen.push(JSON.stringify(payload)));
  await services.clusters.create('nopasswd', { mode: 'node', node: 'cloud1', port: 3000 });
  const root = lab.host('cloud1').ssh;
  services.machines.add({ name: 'cloud1', ssh: { user: 'root', host: root.host, port: root.port }, auth: { identityFile: root.identityFile }, site: 'cloud' });
  const cloud2 = lab.host('cloud2');
  await labExec(
    'cloud2',
    `printf '%s\\n' '${cloud2.sudoUser.user} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/spanwise-nopasswd && chmod 0440 /etc/sudoers.d/spanwise-nopasswd`,
  );
  services.machines.add({
    name: 'cloud2',
    ssh: { user: cloud2.sudoUser.user, host: cloud2.ssh.host, port: cloud2.ssh.port },
    auth: { password: cloud2.sudoUser.password },
    site: 'cloud',
  });
  services.machines.add({
    name: 'cloud2-wrong',
    ssh: { user: cloud2.sudoUser.user, host: cloud2.ssh.host, port: cloud2.ssh.port },
    auth: { password: WRONG_PASSWORD },
    site: 'cloud',
  });
}, 120_000);
afterAll(async () => {
  services?.close();
  await labExec('cloud2', 'rm -f /etc/sudoers.d/spanwise-nopasswd', { allowFailure: true });
});

describe('onboarding through a sudo that does not ask for the password', () => {
  it('onboards, and the agent config and CA certificate are exactly what was sent', async () => {
    const results = await services.onboarding.onboard(['cloud1', 'cloud2'], { concurrency: 2, hostKeys: { trustOnFirstUse: true, accept: {} } });
    expect(results.map((r) => [r.machine, r.ok, r.error?.message ?? ''])).toEqual([
      ['cloud1', true, ''],
      ['cloud2', true, ''],
    ]);
    const config = (await labExec('cloud2', 'cat /etc/spanwise/agent.yaml')).stdout;
    expect(config.split('\n')[0]).not.toContain(lab.host('cloud2').sudoUser.password);
    expect((await labExec('cloud2', 'head -c 27 /etc/spanwise/tls/ca.crt')).stdout).toBe('-----BEGIN CERTIFICATE-----');
  });

  it('leaves no secret in any file of a host but its own 0600 files, in no event, result or error, and none in the clear in the data dir', async () => {
    const { secret, ca } = services.clusters.secretsOf('nopasswd');
    for (const host of ['cloud1', 'cloud2']) {
      // Written once the agent programs WireGuard with its first peer.
      await labExec(host, 'for i in $(seq 120); do [ -s /run/spanwise/kubespan.psk ] && exit 0; sleep 0.5; done; exit 1', { timeoutMs: 90_000 });
    }
    const hostKey = async (host: string, file: string) => pemLine((await labExec(host, `cat ${file}`)).stdout);
    const secrets: Secret[] = [
      { name: 'SSH and sudo password', value: lab.host('cloud2').sudoUser.password, files: {} },
      { name: 'cluster secret', value: secret, files: { cloud1: AGENT_SECRET_FILES, cloud2: AGENT_SECRET_FILES } },
      { name: 'cluster CA key', value: pemLine(ca.keyPem), files: {} },
      { name: "desktop's client key", value: pemLine((await desktopCertificate(ca)).keyPem), files: {} },
      { name: 'SSH private key', value: pemLine(readFileSync(lab.host('cloud1').ssh.identityFile, 'utf8')), files: {} },
      { name: "cloud1's discovery TLS key", value: await hostKey('cloud1', DISCOVERY_KEY), files: { cloud1: [DISCOVERY_KEY] } },
    ];
    for (const host of ['cloud1', 'cloud2']) {
      secrets.push({ name: `${host}'s agent TLS key`, value: await hostKey(host, AGENT_KEY), files: { [host]: [AGENT_KEY] } });
      const wireGuardKey = (await labExec(host, 'cat /run/spanwise/kubespan.key')).stdout.trim();
      secrets.push({ name: `${host}'s WireGuard private key`, value: wireGuardKey, files: { [host]: WIREGUARD_KEY_FILES } });
    }
    const [refused] = await services.onboarding.onboard(['cloud2-wrong'], { concurrency: 1, hostKeys: { trustOnFirstUse: true, accept: {} } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SSH_AUTH_FAILED' } });
    secrets.push({ name: 'a refused login password', value: WRONG_PASSWORD, files: {} });
    const desktopFiles = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'));
    const said = [...seen, JSON.stringify(refused)];

    const found: string[] = [];
    for (const { name, value, files } of secrets) {
      expect(value.length, name).toBeGreaterThanOrEqual(16);
      for (const host of ['cloud1', 'cloud2']) {
        const holding = await filesHolding(host, value);
        if (JSON.stringify(holding) !== JSON.stringify(files[host] ?? [])) found.push(`${name} on ${host} in ${holding.join(', ') || 'no file'}`);
        if (holding.length > 0) {
          const modes = (await labExec(host, ['stat', '-c', '%a', ...holding])).stdout.trim().split('\n');
          if (modes.some((mode) => mode !== '600')) found.push(`${name} on ${host} in a file of mode ${modes.join(' ')}`);
        }
      }
      if (said.some((line) => line.includes(value))) found.push(`${name} in an event or error`);
      if (desktopFiles.some((text) => text.includes(value))) found.push(`${name} in the clear in the data dir`);
    }
    expect(found).toEqual([]);
  });

  it('a re-run changes nothing and still writes no password', async () => {
    const before = (await labExec('cloud2', 'sha256sum /etc/spanwise/agent.yaml /etc/spanwise/tls/ca.crt')).stdout;
    const [again] = await services.onboarding.onboard(['cloud2'], { concurrency: 1, hostKeys: { trustOnFirstUse: true, accept: {} } });
    expect(again?.ok).toBe(true);
    expect((await labExec('cloud2', 'sha256sum /etc/spanwise/agent.yaml /etc/spanwise/tls/ca.crt')).stdout).toBe(before);
    expect(await filesHolding('cloud2', lab.host('cloud2').sudoUser.password)).toEqual([]);
  });
});
