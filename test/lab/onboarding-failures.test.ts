import { appendFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnboardingProgress, OnboardingResult } from '../../electron/contract/onboarding.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { checkoutResources } from '../../electron/services/paths.js';
import { buildApp } from '../browser/build-renderer.js';
import { labExec, labSpawn } from './index.js';
import { useLab } from './use-lab.js';

const lab = useLab('all-open');
let services: Services;
const progress: OnboardingProgress[] = [];
const trust = { trustOnFirstUse: true, accept: {} };

function addRoot(name: string, site: 'cloud' | 'edge' = 'cloud') {
  const ssh = lab.host(name).ssh;
  services.machines.add({ name, ssh: { user: 'root', host: ssh.host, port: ssh.port }, auth: { identityFile: ssh.identityFile }, site });
}

async function onboardOne(name: string): Promise<OnboardingResult> {
  const [result] = await services.onboarding.onboard([name], { concurrency: 1, hostKeys: trust });
  if (!result) throw new Error('no result');
  return result;
}

beforeAll(async () => {
  buildApp();
  const dir = mkdtempSync(join(tmpdir(), 'spanwise-onboard-fail-'));
  const padded = join(dir, 'spanwise-agent.mjs');
  copyFileSync(checkoutResources.agentBundle, padded);
  appendFileSync(padded, `\n//${'x'.repeat(48 * 1024 * 1024)}\n`);
  services = createServices({ mode: 'web', dataDir: join(dir, 'data'), agentFiles: { ...checkoutResources, agentBundle: padded } });
  services.events.subscribe((event, payload) => {
    if (event === 'onboard:progress') progress.push(payload as OnboardingProgress);
  });
  await services.clusters.create('failures', { mode: 'node', port: 3000 });
  addRoot('cloud1');
}, 120_000);
afterAll(() => services?.close());

describe('onboarding failures', () => {
  it('finishes after the SSH connection is killed in the middle of the upload, with one service, one agent, one identity', async () => {
    const killed = new Promise<void>((resolve) => {
      const unsubscribe = services.events.subscribe((event, payload) => {
        const p = payload as OnboardingProgress;
        if (event === 'onboard:progress' && p.step === 'upload' && p.state === 'running') {
          unsubscribe();
          setTimeout(() => void labExec('cloud1', "pkill -f 'sshd: root@'", { allowFailure: true }).then(() => resolve()), 150);
        }
      });
    });
    const first = await onboardOne('cloud1');
    await killed;
    expect(first.ok).toBe(false);
    expect(first.failedStep).toBe('upload');
    expect(services.machines.get('cloud1').state).toBe('failed');
    const second = await onboardOne('cloud1');
    expect(second).toMatchObject({ ok: true });
    // The bracket keeps the pattern from matching the shell that runs pgrep.
    const count = async (pattern: string) => Number((await labExec('cloud1', `pgrep -fc '${pattern}' || true`)).stdout.trim());
    expect(await count('spanwise-agent.mj[s] supervise .* -- run')).toBe(1);
    expect(await count('spanwise-agent.mj[s] supervise .* -- discovery serve')).toBe(1);
    expect(await count('spanwise-agent.mj[s] run')).toBe(1);
    expect((await labExec('cloud1', 'ls /var/lib/spanwise/ | grep identity; ls -a /opt/spanwise')).stdout).toBe(
      'kubespan-identity.yaml\nnode-identity.yaml\n.\n..\nbin\nspanwise-agent.mjs\n',
    );
  });

  it('refuses a changed host key, showing both fingerprints, and changes nothing', async () => {
    const ssh = lab.host('cloud1').ssh;
    const trusted = services.hostKeys.get({ via: '', host: ssh.host, port: ssh.port });
    services.hostKeys.trust({ via: '', host: ssh.host, port: ssh.port }, 'ssh-ed25519', 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const result = await onboardOne('cloud1');
    expect(result).toMatchObject({ ok: false, failedStep: 'connect', error: { code: 'HOST_KEY_CHANGED' } });
    expect(result.error?.message).toContain('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(result.error?.message).toContain(trusted?.fingerprint);
    expect(services.hostKeys.get({ via: '', host: ssh.host, port: ssh.port })?.fingerprint).toBe('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    services.hostKeys.trust({ via: '', host: ssh.host, port: ssh.port }, 'ssh-ed25519', trusted?.fingerprint ?? '');
  });

  it('says which step failed and how to fix it for wrong credentials and an unreachable host', async () => {
    const cloud2 = lab.host('cloud2');
    services.machines.add({ name: 'wrong-pw', ssh: { user: cloud2.sudoUser.user, host: cloud2.ssh.host }, auth: { password: 'not-the-password' } });
    const wrong = await onboardOne('wrong-pw');
    expect(wrong).toMatchObject({ ok: false, failedStep: 'connect', error: { code: 'SSH_AUTH_FAILED' } });
    expect(wrong.error?.hint).toMatch(/check the user, the key file or password/);
    services.machines.add({ name: 'nowhere', ssh: { user: 'root', host: '198.18.1.99' }, auth: { identityFile: cloud2.ssh.identityFile } });
    const unreachable = await onboardOne('nowhere');
    expect(unreachable).toMatchObject({ ok: false, failedStep: 'connect', error: { code: 'SSH_UNREACHABLE' } });
    expect(services.machines.list().find((m) => m.name === 'nowhere')?.state).toBe('failed');
  });

  it('stops at pre-flight on an unsupported OS or a taken port, before changing anything', async () => {
    addRoot('cloud2');
    addRoot('cloud3');
    // /etc/os-release is a link into the machine's shared /usr: replace the link in the host's private /etc.
    await labExec('cloud3', "rm /etc/os-release && printf 'ID=plan9\\nVERSION_ID=4\\n' > /etc/os-release && test ! -L /etc/os-release");
    const listener = await labSpawn('cloud2', ['nc', '-u', '-l', '-p', '51820']);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const [taken, unsupported] = await services.onboarding.onboard(['cloud2', 'cloud3'], { concurrency: 2, hostKeys: trust });
      expect(taken).toMatchObject({ ok: false, failedStep: 'preflight', error: { code: 'PORT_51820_TAKEN' } });
      expect(taken?.error?.message).toContain('nc');
      expect(unsupported).toMatchObject({ ok: false, failedStep: 'preflight', error: { code: 'UNSUPPORTED_OS' } });
      expect(unsupported?.error?.hint).toBeTruthy();
    } finally {
      listener.kill();
    }
    for (const host of ['cloud2', 'cloud3'])
      expect((await labExec(host, 'ls /opt/spanwise /etc/spanwise 2>&1 | grep -c "No such file"')).stdout.trim()).toBe('2');
  });

  it('reports every step of every run as progress, with no secret in it', () => {
    const steps = new Set(progress.filter((p) => p.machine === 'cloud1' && p.state === 'done').map((p) => p.step));
    expect([...steps].sort()).toEqual(['certificate', 'config', 'connect', 'discovery', 'preflight', 'service', 'upload', 'verify'].sort());
    expect(progress.some((p) => p.machine === 'cloud1' && p.step === 'packages' && p.state === 'skipped')).toBe(true);
    const secret = services.clusters.secretsOf('failures').secret;
    const text = JSON.stringify(progress);
    for (const value of [secret, lab.host('cloud2').sudoUser.password, 'not-the-password']) expect(text).not.toContain(value);
  });
});
