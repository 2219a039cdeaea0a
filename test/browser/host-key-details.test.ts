import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';
import { startThrowawaySshd, type ThrowawaySshd } from './throwaway-sshd.js';
import { startUiBackend, type UiBackend } from './ui-backend.js';

/** The host-key dialog shows what the error's details say (the fingerprint, the address, the jump hosts on the way), titled by the host that presented the key, one entry for the machines that wait on the same key. */
describe('host key confirmation through a jump host', () => {
  let ui: UiBackend;
  let jump: LoopbackSshd;
  let target: ThrowawaySshd;
  let page: Page;

  beforeAll(async () => {
    jump = await startLoopbackSshd();
    target = await startThrowawaySshd();
    ui = await startUiBackend('ui-host-key-route');
    await ui.handlers['cluster:create']({ name: 'route', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['machine:add']({
      name: 'behind-jump',
      ssh: { host: '127.0.0.1', port: target.port, user: 'nobody' },
      auth: { identityFile: jump.identityFile, useAgent: false },
      jump: [{ host: '127.0.0.1', port: jump.port, user: jump.user }],
      site: 'cloud',
      role: 'worker',
      labels: {},
    });
    await ui.handlers['machine:add']({
      name: 'also-behind',
      ssh: { host: '127.0.0.1', port: target.port, user: 'nobody' },
      auth: { identityFile: jump.identityFile, useAgent: false },
      jump: [{ host: '127.0.0.1', port: jump.port, user: jump.user }],
      site: 'cloud',
      role: 'worker',
      labels: {},
    });
    page = await ui.open('#machines');
  });
  afterAll(async () => {
    await ui?.close();
    target?.stop();
    jump?.stop();
  });

  const dialog = () => page.getByTestId('host-key-dialog');

  it('asks for the jump host first, named by its address and without a route', async () => {
    await page.getByLabel('Pick every machine').check();
    await page.getByTestId('onboard-button').click();
    await expect.poll(() => dialog().isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await dialog().getByTestId('host-key-address').textContent()).toBe(`127.0.0.1:${jump.port}`);
    expect(await dialog().getByTestId('host-key-via').count()).toBe(0);
    expect(await dialog().getByTestId('host-key-title').textContent()).toBe(`Jump host 127.0.0.1:${jump.port}, to reach behind-jump, also-behind`);
    expect(await dialog().getByTestId('host-key-entry').count()).toBe(1);
    expect(await page.getByTestId('machine-table').textContent()).toContain('waiting for you');
    expect(await page.getByTestId('run-behind-jump').textContent()).toContain('waiting for you');
    expect(await page.getByTestId('run-behind-jump').textContent()).not.toContain('--accept-host-key');
  });

  it('then the machine behind it, with the jump host as its route and its own fingerprint', async () => {
    await dialog().getByRole('button', { name: 'Trust and onboard' }).click();
    await expect.poll(() => dialog().getByTestId('host-key-address').textContent(), { timeout: 20_000 }).toBe(`127.0.0.1:${target.port}`);
    expect(await dialog().getByTestId('host-key-via').textContent()).toBe(`127.0.0.1:${jump.port}`);
    expect(await dialog().getByTestId('host-key-fingerprint').textContent()).toBe(target.fingerprint);
    expect(await dialog().getByTestId('host-key-title').textContent()).toBe(`behind-jump, also-behind (127.0.0.1:${target.port})`);
  });
});
