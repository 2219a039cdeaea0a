import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';
import { startUiBackend, type UiBackend } from './ui-backend.js';

/** First run, then a machine added with a bad port fixed with Edit and Test SSH, against a real sshd. */
describe('forms that forgive', () => {
  let ui: UiBackend;
  let sshd: LoopbackSshd;
  let page: Page;
  let bad: number;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    bad = await freePort();
    ui = await startUiBackend('ui-machine-edit');
    page = await ui.open('#overview');
  });
  afterAll(async () => {
    await ui?.close();
    sshd?.stop();
  });

  const form = () => page.getByTestId('machine-form');

  it('a first run shows the setup checklist and a neutral empty state, and offers the next step after a cluster', async () => {
    const checklist = page.getByTestId('setup-checklist');
    await expect.poll(() => checklist.isVisible()).toBe(true);
    expect(await checklist.locator('li[data-done="false"]').count()).toBe(4);
    expect(await page.getByTestId('empty-state').first().textContent()).toContain('No cluster yet');
    expect(await page.locator('body').textContent()).not.toContain('NO_CLUSTER');
    await page.getByTestId('empty-state').first().getByRole('button', { name: 'Create a cluster' }).click();
    const clusterForm = page.getByTestId('cluster-form');
    expect(await clusterForm.getByLabel('Cluster name').getAttribute('placeholder')).toBe('lab');
    await clusterForm.getByLabel('Cluster name').fill('lab');
    await clusterForm.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByTestId('cluster-next-step').getByRole('button', { name: 'Add its machines' }).click();
    await expect.poll(() => form().isVisible()).toBe(true);
  });

  it('a new machine starts from the defaults: no silent carry-over of site and role, a same-as-last on request', async () => {
    expect(await form().getByLabel('Name').getAttribute('placeholder')).toBe('cloud-1');
    await form().getByLabel('Name').fill('box');
    await form().getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await form().getByLabel('Port').fill(String(bad));
    await form().getByLabel('User').fill(sshd.user);
    await form().getByLabel('Key file').fill(sshd.identityFile);
    await form().getByLabel('Site').selectOption('edge');
    await form().getByLabel('Role').selectOption('controlplane');
    await form().getByRole('button', { name: 'Add machine' }).click();
    await expect.poll(async () => (await ui.handlers['machine:list']({})).map((m) => [m.name, m.site, m.role])).toEqual([['box', 'edge', 'controlplane']]);
    expect(await form().getByLabel('Site').inputValue()).toBe('cloud');
    expect(await form().getByLabel('Role').inputValue()).toBe('worker');
    await page.getByTestId('same-as-last').click();
    expect(await form().getByLabel('Site').inputValue()).toBe('edge');
    expect(await form().getByLabel('Key file').inputValue()).toBe(sshd.identityFile);
  });

  it('the sudo password is the login one unless asked, and then required', async () => {
    const sudo = form().getByLabel('same as login');
    expect(await sudo.isChecked()).toBe(true);
    expect(await form().getByLabel('Sudo password of the user').count()).toBe(0);
    await sudo.uncheck();
    await form().getByRole('button', { name: 'Add machine' }).click();
    await expect.poll(() => form().textContent()).toContain('Sudo password: enter the sudo password, or tick "same as login"');
    await sudo.check();
  });

  it('Edit and Test SSH fix a bad port without deleting the machine', async () => {
    await page.getByRole('button', { name: 'Edit box' }).click();
    await expect.poll(() => form().getByRole('heading').textContent()).toBe('Edit box');
    expect(await form().getByLabel('Port').inputValue()).toBe(String(bad));
    expect(await form().getByLabel('Site').inputValue()).toBe('edge');
    await form().getByTestId('test-ssh').click();
    const result = page.getByTestId('ssh-test-result');
    await expect.poll(() => result.locator('[data-check="reach"]').textContent(), { timeout: 20_000 }).toContain('✕');
    const portError = form()
      .locator('.field-invalid', { has: page.getByLabel('Port') })
      .locator('.field-error');
    await expect.poll(() => portError.textContent()).toContain('Port:');

    await form().getByLabel('Port').fill(String(sshd.port));
    await form().getByTestId('test-ssh').click();
    await expect.poll(() => result.locator('[data-check="hostKey"]').textContent(), { timeout: 20_000 }).toContain('✕');
    await result.getByRole('button', { name: 'Trust this key and test again' }).click();
    await expect.poll(() => result.locator('li.ok').count(), { timeout: 20_000 }).toBe(4);
    expect(await result.textContent()).toContain('Every check passed');

    await form().getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await ui.handlers['machine:list']({}))[0]?.ssh.port).toBe(sshd.port);
    expect((await ui.handlers['machine:list']({})).map((m) => m.name)).toEqual(['box']);
    await expect.poll(() => form().getByRole('heading').textContent()).toBe('Add a machine');
  });
});
