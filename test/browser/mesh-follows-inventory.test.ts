import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/handlers/index.js';
import { startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';
import { FakeMeshSource } from './fake-mesh-source.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

const unreachable = (name: string): Parameters<Handlers['machine:add']>[0] => ({
  name,
  ssh: { user: 'root', host: '127.0.0.1', port: 1 },
  auth: { useAgent: true },
  jump: [],
  site: 'cloud',
  role: 'worker',
  labels: {},
});

/** Set in the page at the start; still there at the end means the page was never reloaded. */
const mark = (page: Page) => page.evaluate(() => ((globalThis as unknown as { sessionMark?: string }).sessionMark = 'same page'));
const marked = (page: Page) => page.evaluate(() => (globalThis as unknown as { sessionMark?: string }).sessionMark);

/**
 * One session with the page open: the mesh and overview follow a machine
 * added and onboarded, then removed, and a cluster switch. The machine is a
 * real sshd on loopback, signed in as `nobody` (an account without a shell),
 * so onboarding connects for real (host key confirmed in the UI) and stops at
 * pre-flight; agent data comes from a fake source in which only the seeded
 * nodes report (the onboarded machine does not, as it runs no agent).
 */
describe('the mesh follows the inventory in one session', () => {
  let ui: UiBackend;
  let page: Page;
  let sshd: LoopbackSshd;
  const summary = () => page.getByTestId('mesh-summary').textContent();
  const overviewCards = () => page.locator('.node-card .node-name').allTextContents();

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    // Its authorized_keys is read as the signing-in user, here `nobody`.
    chmodSync(dirname(sshd.identityFile), 0o755);
    chmodSync(join(dirname(sshd.identityFile), 'authorized_keys'), 0o644);
    ui = await startUiBackend('ui-mesh-follows', { meshSource: () => new FakeMeshSource(new Set(['east-a', 'east-b', 'west-1', 'west-2'])) });
    await ui.handlers['cluster:create']({ name: 'west', discovery: { mode: 'node', port: 3000 } });
    for (const name of ['west-1', 'west-2', 'west-3']) await ui.handlers['machine:add'](unreachable(name));
    await ui.handlers['cluster:create']({ name: 'east', discovery: { mode: 'node', port: 3000 } });
    for (const name of ['east-a', 'east-b']) await ui.handlers['machine:add'](unreachable(name));
    page = await ui.open('#mesh');
    await mark(page);
  });
  afterAll(async () => {
    await ui?.close();
    sshd?.stop();
  });

  it('shows a machine added and onboarded in this session on the mesh screen, without a restart or reload', async () => {
    await expect.poll(summary).toMatch(/^2 nodes · 2 ✓ up .* health 100 \(good\)/);
    await page.getByTestId('nav-machines').click();
    const form = page.getByTestId('machine-form');
    await form.getByLabel('Name').fill('edge-1');
    await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(sshd.port));
    await form.getByLabel('User').fill('nobody');
    await form.getByLabel('Key file').fill(sshd.identityFile);
    await form.getByLabel('Site').selectOption('edge');
    await form.getByRole('button', { name: 'Add machine' }).click();
    await expect.poll(() => page.getByTestId('machine-table').getByRole('rowheader').allTextContents()).toEqual(['east-a', 'east-b', 'edge-1']);

    await page.getByLabel('Pick edge-1').check();
    await page.getByTestId('onboard-button').click();
    const dialog = page.getByTestId('host-key-dialog');
    await expect.poll(() => dialog.isVisible(), { timeout: 20_000 }).toBe(true);
    await dialog.getByRole('button', { name: 'Trust and onboard' }).click();
    const run = page.getByTestId('run-edge-1');
    await expect.poll(() => run.locator('.step-failed').textContent(), { timeout: 30_000 }).toContain('preflight');
    expect(await run.locator('.step-done').allTextContents()).toEqual([expect.stringContaining('connect')]);
    expect((await ui.handlers['machine:list']({})).find((m) => m.name === 'edge-1')?.state).toBe('failed');
    await screenshots(page, 'mesh-follows-onboarding-run');

    await page.getByTestId('nav-mesh').click();
    await expect.poll(summary).toMatch(/^3 nodes · 2 ✓ up .* health 33 \(poor\)/);
    await page.getByTestId('mesh-matrix').focus();
    for (const key of ['End', 'ArrowDown', 'ArrowDown']) await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toMatch(/edge-1/);
    await screenshots(page, 'mesh-follows-onboarded');
    await page.getByTestId('nav-overview').click();
    await expect.poll(overviewCards).toEqual(['edge-1', 'east-a', 'east-b']);
    expect(await page.getByRole('button', { name: /^edge-1: agent unreachable/ }).count()).toBe(1);
    expect(await marked(page)).toBe('same page');
  });

  it('drops a removed machine from the mesh and the overview, and from the health score', async () => {
    await page.getByRole('button', { name: /^edge-1: / }).click();
    await page.getByRole('button', { name: 'Remove node…' }).click();
    const dialog = page.getByTestId('remove-node-dialog');
    await dialog.getByLabel(/even if the host cannot be reached/).check();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => page.getByText(/edge-1 removed/).textContent(), { timeout: 30_000 }).toMatch(/edge-1 removed; edge-1 was not cleaned/);
    await expect
      .poll(() => page.locator('section[aria-labelledby="node-title"] select option').allTextContents(), { timeout: 20_000 })
      .toEqual(['east-a', 'east-b']);
    await page.getByTestId('nav-overview').click();
    await expect.poll(overviewCards).toEqual(['east-a', 'east-b']);
    expect(await page.getByTestId('cluster-health').textContent()).toContain('100 (good)');
    await page.getByTestId('nav-mesh').click();
    await expect.poll(summary).toMatch(/^2 nodes · 2 ✓ up .* health 100 \(good\)/);
    expect(await marked(page)).toBe('same page');
  });

  it("shows only the other cluster's nodes after a switch", async () => {
    await page.getByTestId('nav-clusters').click();
    await page.getByRole('button', { name: 'Use west' }).click();
    await expect.poll(() => page.getByTestId('current-cluster').textContent()).toBe('Cluster: west');
    await page.getByTestId('nav-mesh').click();
    await expect.poll(summary).toMatch(/^3 nodes · 2 ✓ up .* health 33 \(poor\)/);
    await page.getByTestId('nav-overview').click();
    await expect.poll(overviewCards).toEqual(['west-1', 'west-2', 'west-3']);
    await screenshots(page, 'mesh-follows-switch');
    expect(await marked(page)).toBe('same page');
  });
});
