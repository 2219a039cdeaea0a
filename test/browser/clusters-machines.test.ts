import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawaySshd, type ThrowawaySshd } from './throwaway-sshd.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

describe('clusters and machines screens', () => {
  let ui: UiBackend;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiBackend('ui-machines');
    page = await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  const machines = async () => ui.handlers['machine:list']({});

  it('validates the cluster name as you type and creates the cluster', async () => {
    const form = page.getByTestId('cluster-form');
    await form.getByLabel('Cluster name').fill('Lab');
    await expect.poll(() => form.getByRole('alert').first().textContent()).toContain('Cluster name: use 1-63 lowercase letters, digits and dashes');
    await form.getByLabel('Cluster name').fill('lab');
    expect(await form.getByRole('alert').count()).toBe(0);
    await form.getByRole('button', { name: 'Create cluster' }).click();
    await expect.poll(() => page.getByTestId('current-cluster').textContent()).toBe('Cluster: lab');
    expect(await page.getByTestId('cluster-table').getByRole('rowheader').allTextContents()).toEqual(['lab']);
    const clusters = await ui.handlers['cluster:list']({});
    expect(clusters.map((c) => [c.name, c.current])).toEqual([['lab', true]]);
    await screenshots(page, 'clusters');
  });

  it('names the field and the fix for bad input, and saves nothing', async () => {
    await page.getByTestId('nav-machines').click();
    const form = page.getByTestId('machine-form');
    await form.getByLabel('Name').fill('web-1');
    await form.getByLabel('Host', { exact: true }).fill('x');
    await form.getByLabel('Host', { exact: true }).fill('');
    await form.getByLabel('Port').fill('70000');
    await form.getByLabel('Sign in with').selectOption('key');
    await form.getByLabel('Key file').fill('/nonexistent/keys/id_ed25519');
    await expect
      .poll(() => form.locator('.field-error').allTextContents())
      .toEqual(['✕ Host: enter a host name or IP address', '✕ Port: use a port from 1 to 65535']);
    await form.getByRole('button', { name: 'Add machine' }).click();
    await expect.poll(() => form.textContent()).toContain('nothing was saved');
    expect(await machines()).toEqual([]);
    await screenshots(page, 'machines-invalid');

    await form.getByLabel('Host', { exact: true }).fill('203.0.113.10');
    await form.getByLabel('Port').fill('22');
    expect(await form.locator('.field-error').count()).toBe(0);
    await form.getByRole('button', { name: 'Add machine' }).click();
    const keyError = form.locator('.field-invalid', { has: page.getByLabel('Key file') }).locator('.field-error');
    await expect.poll(() => keyError.textContent()).toContain('Key file: /nonexistent/keys/id_ed25519 does not exist');
    expect(await form.getByLabel('Key file').getAttribute('aria-invalid')).toBe('true');
    expect(await machines()).toEqual([]);
  });

  it('adds a machine through the form', async () => {
    const key = join(ui.dataDir, '..', 'id_test');
    writeFileSync(key, 'not a real key, only needs to exist\n', { mode: 0o600 });
    const form = page.getByTestId('machine-form');
    await form.getByLabel('Key file').fill(key);
    await form.getByLabel('Jump host').fill('ops@bastion.example.net:2222');
    await form.getByLabel('Site').selectOption('edge');
    await form.getByRole('button', { name: 'Add machine' }).click();
    await expect.poll(() => page.getByTestId('machine-table').getByRole('rowheader').allTextContents()).toEqual(['web-1']);
    const [machine] = await machines();
    expect(machine).toMatchObject({
      name: 'web-1',
      site: 'edge',
      ssh: { host: '203.0.113.10', port: 22, user: 'root' },
      jump: [{ user: 'ops', host: 'bastion.example.net', port: 2222 }],
      identityFile: key,
      state: 'added',
    });
  });

  it('shows live onboarding progress, the failed step and its error, with retry', async () => {
    const key = join(ui.dataDir, '..', 'id_test');
    await ui.handlers['machine:add']({
      name: 'closed-port',
      ssh: { host: '127.0.0.1', port: 1, user: 'root' },
      auth: { identityFile: key, useAgent: false },
      jump: [],
      site: 'cloud',
      role: 'worker',
      labels: {},
    });
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('nav-machines').click();
    await page.getByLabel('Pick closed-port').check();
    await page.getByTestId('onboard-button').click();
    const run = page.getByTestId('run-closed-port');
    await expect.poll(() => run.locator('.step-failed').textContent(), { timeout: 20_000 }).toContain('connect');
    expect(await page.getByTestId('run-closed-port-error').textContent()).toMatch(/connect/i);
    expect(await run.getByRole('button', { name: 'Retry from connect' }).count()).toBe(1);
    expect(await run.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
    await expect.poll(async () => (await machines()).find((m) => m.name === 'closed-port')?.state).toBe('failed');
    await screenshots(page, 'machines-onboarding');
  });

  it('imports several hosts at once from an SSH config', async () => {
    const config = join(ui.dataDir, '..', 'ssh_config');
    writeFileSync(
      config,
      [
        'Host bastion',
        '  HostName 198.51.100.1',
        '  User ops',
        '',
        'Host Rack_A1',
        '  HostName 10.1.0.11',
        '  User admin',
        '  ProxyJump bastion',
        '',
        'Host rack-a2',
        '  HostName 10.1.0.12',
        '  Port 2222',
        '',
        'Host *',
        '  ServerAliveInterval 30',
        '',
      ].join('\n'),
    );
    await page.getByLabel('Config file').fill(config);
    await page.getByRole('button', { name: 'Read hosts' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: /^Add / }).count()).toBe(3);
    await page.getByRole('checkbox', { name: 'Add bastion' }).uncheck();
    await page.getByRole('button', { name: 'Add selected' }).click();
    await expect.poll(async () => (await machines()).map((m) => m.name).sort()).toEqual(['closed-port', 'rack-a1', 'rack-a2', 'web-1']);
    const a1 = (await machines()).find((m) => m.name === 'rack-a1');
    expect(a1?.jump).toEqual([{ user: 'ops', host: '198.51.100.1', port: 22 }]);
    await screenshots(page, 'machines-import');
  });

  it('reaches every screen from the keyboard', async () => {
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('nav-clusters').getAttribute('aria-current')).toBe('page');
    await page.keyboard.press('Alt+8');
    await expect.poll(() => page.getByRole('heading', { name: 'Settings of lab' }).count()).toBe(1);
    await screenshots(page, 'settings');
  });
});

describe('host key confirmation', () => {
  let ui: UiBackend;
  let sshd: ThrowawaySshd;

  beforeAll(async () => {
    sshd = await startThrowawaySshd();
    ui = await startUiBackend('ui-host-key');
    await ui.handlers['cluster:create']({ name: 'keys', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['machine:add']({
      name: 'new-host',
      ssh: { host: '127.0.0.1', port: sshd.port, user: 'nobody' },
      auth: { password: 'wrong-password', useAgent: false },
      jump: [],
      site: 'cloud',
      role: 'worker',
      labels: {},
    });
  });
  afterAll(async () => {
    await ui?.close();
    sshd?.stop();
  });

  it('shows the fingerprint of an unknown host key and re-runs with it on confirm', async () => {
    const page = await ui.open('#machines');
    await page.getByLabel('Pick new-host').check();
    await page.getByTestId('onboard-button').click();
    const dialog = page.getByTestId('host-key-dialog');
    await expect.poll(() => dialog.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await dialog.getByTestId('host-key-fingerprint').textContent()).toBe(sshd.fingerprint);
    await screenshots(page, 'machines-host-key', false);
    await dialog.getByRole('button', { name: 'Trust and onboard' }).click();
    // Trusted now; the wrong password fails the connect step with a message saying so.
    const error = page.getByTestId('run-new-host-error');
    await expect.poll(() => error.textContent(), { timeout: 20_000 }).toContain('SSH_AUTH_FAILED');
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.getByTestId('run-new-host').getByRole('button', { name: 'Retry from connect' }).count()).toBe(1);
    await screenshots(page, 'machines-wrong-password');
  });
});
