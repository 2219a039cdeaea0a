import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services/index.js';
import { buildApp } from '../browser/build-renderer.js';
import { OVERLAY_DIRS, PRIVATE_DIRS } from './hostfs.js';
import { labExec } from './index.js';
import { paths } from './paths.js';
import { run } from './run.js';
import { useLab } from './use-lab.js';

/**
 * A password-authenticated sudo user whose sudo does not ask (NOPASSWD, as on
 * most cloud images). The sudo password must never reach the host's files, the
 * agent's config, or any progress line; the cluster secret only the config and
 * the WireGuard preshared key, both 0600.
 */
const lab = useLab('all-open');
let services: Services;
const seen: string[] = [];

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

beforeAll(async () => {
  buildApp();
  services = createServices({ mode: 'web', dataDir: join(mkdtempSync(join(tmpdir(), 'spanwise-nopasswd-')), 'data') });
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

  it('leaves the sudo password nowhere on the host, in no event, and the cluster secret only in the agent config', async () => {
    const password = lab.host('cloud2').sudoUser.password;
    expect(await filesHolding('cloud2', password)).toEqual([]);
    expect(seen.filter((line) => line.includes(password))).toEqual([]);
    const { secret } = services.clusters.secretsOf('nopasswd');
    for (const host of ['cloud1', 'cloud2']) {
      // Written once the agent programs WireGuard with its first peer.
      await labExec(host, 'for i in $(seq 120); do [ -s /run/spanwise/kubespan.psk ] && exit 0; sleep 0.5; done; exit 1', { timeoutMs: 90_000 });
      // The agent config, and the WireGuard preshared key the agent hands `wg` (KubeSpan's PSK is the cluster secret).
      expect(await filesHolding(host, secret)).toEqual(['/etc/spanwise/agent.yaml', '/run/spanwise/kubespan.psk']);
      expect((await labExec(host, 'stat -c %a /etc/spanwise/agent.yaml /run/spanwise/kubespan.psk')).stdout).toBe('600\n600\n');
    }
    expect(seen.filter((line) => line.includes(secret))).toEqual([]);
  });

  it('a re-run changes nothing and still writes no password', async () => {
    const before = (await labExec('cloud2', 'sha256sum /etc/spanwise/agent.yaml /etc/spanwise/tls/ca.crt')).stdout;
    const [again] = await services.onboarding.onboard(['cloud2'], { concurrency: 1, hostKeys: { trustOnFirstUse: true, accept: {} } });
    expect(again?.ok).toBe(true);
    expect((await labExec('cloud2', 'sha256sum /etc/spanwise/agent.yaml /etc/spanwise/tls/ca.crt')).stdout).toBe(before);
    expect(await filesHolding('cloud2', lab.host('cloud2').sudoUser.password)).toEqual([]);
  });
});
