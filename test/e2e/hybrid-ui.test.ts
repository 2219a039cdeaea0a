import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, startUiBackend, type UiBackend } from '../browser/ui-backend.js';
import { useLab } from '../lab/use-lab.js';

const lab = useLab('hybrid');

describe('the hybrid lab through the UI', () => {
  let ui: UiBackend;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiBackend('e2e-hybrid');
    page = await ui.open();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('creates a cluster', async () => {
    const form = page.getByTestId('cluster-form');
    await form.getByLabel('Cluster name').fill('hybrid');
    await form.getByRole('button', { name: 'Create cluster' }).click();
    await expect.poll(() => page.getByTestId('current-cluster').textContent()).toBe('Cluster: hybrid');
    await screenshots(page, 'e2e-1-cluster');
  });

  it('adds the four hosts through the form: edge and datacenter through their jump hosts, one with a sudo password', async () => {
    await page.getByTestId('nav-machines').click();
    const form = page.getByTestId('machine-form');
    const add = async (name: string, opts: { host: string; user: string; key?: string; password?: string; jump?: string; site: string }) => {
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Host', { exact: true }).fill(opts.host);
      await form.getByLabel('Port').fill('22');
      await form.getByLabel('User').fill(opts.user);
      await form.getByLabel('Sign in with').selectOption(opts.password ? 'password' : 'key');
      if (opts.password) await form.getByLabel('Password', { exact: true }).fill(opts.password);
      else await form.getByLabel('Key file').fill(opts.key ?? '');
      await form.getByLabel('Jump host', { exact: true }).fill(opts.jump ?? '');
      await form.getByLabel('Site').selectOption(opts.site);
      await form.getByRole('button', { name: 'Add machine' }).click();
      await expect.poll(() => page.getByTestId('machine-table').getByRole('rowheader').allTextContents()).toContain(name);
    };
    const host = (name: string) => lab.host(name);
    await add('cloud1', { host: host('cloud1').ssh.host, user: 'root', key: host('cloud1').ssh.identityFile, site: 'cloud' });
    await add('cloud2', { host: host('cloud2').ssh.host, user: host('cloud2').sudoUser.user, password: host('cloud2').sudoUser.password, site: 'cloud' });
    await add('dc1', { host: host('dc1').ssh.host, user: 'root', key: host('dc1').ssh.identityFile, jump: host('dc1').ssh.jump ?? '', site: 'datacenter' });
    await add('edge1', { host: host('edge1').ssh.host, user: 'root', key: host('edge1').ssh.identityFile, jump: host('edge1').ssh.jump ?? '', site: 'edge' });
    const machines = await ui.handlers['machine:list']({});
    expect(machines.map((m) => [m.name, m.jump.length, m.hasPassword])).toEqual([
      ['cloud1', 0, false],
      ['cloud2', 0, true],
      ['dc1', 1, false],
      ['edge1', 1, false],
    ]);
    await screenshots(page, 'e2e-2-machines');
  });

  it('accepts each host key and onboards all four with one click, showing progress to the end', async () => {
    for (const name of ['cloud1', 'cloud2', 'dc1', 'edge1']) await page.getByLabel(`Pick ${name}`).check();
    await page.getByTestId('onboard-button').click();
    const dialog = page.getByTestId('host-key-dialog');
    const fingerprint = dialog.getByTestId('host-key-fingerprint').first();
    const onboarded = async () => (await ui.handlers['machine:list']({})).every((m) => m.state === 'onboarded');
    let accepted = 0;
    for (const deadline = Date.now() + 150_000; Date.now() < deadline && !(await onboarded());) {
      if (!(await dialog.isVisible())) {
        await page.waitForTimeout(250);
        continue;
      }
      const shown = await fingerprint.textContent();
      expect(shown).toMatch(/^SHA256:/);
      if (accepted === 0) await screenshots(page, 'e2e-3-host-key', false);
      await dialog.getByRole('button', { name: 'Trust and onboard' }).first().click();
      accepted += 1;
      await expect.poll(async () => !(await dialog.isVisible()) || (await fingerprint.textContent()) !== shown).toBe(true);
    }
    // Four machines, plus the two jump hosts in front of dc1 and edge1.
    expect(accepted).toBe(6);
    expect(await onboarded()).toBe(true);
    for (const name of ['cloud1', 'cloud2', 'dc1', 'edge1']) {
      await expect.poll(() => page.getByTestId(`run-${name}`).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    }
    await screenshots(page, 'e2e-4-onboarded');
  });

  it('fills the mesh matrix with up pairs', async () => {
    await page.getByTestId('nav-mesh').click();
    await expect
      .poll(async () => Number(/(\d+) ✓ up/.exec((await page.getByTestId('mesh-summary').textContent()) ?? '')?.[1] ?? 0), { timeout: 90_000 })
      .toBeGreaterThanOrEqual(10);
    await screenshots(page, 'e2e-5-mesh');
  });

  it('shows the datacenter finding with its remediation on the firewall screen', async () => {
    await page.getByTestId('nav-firewall').click();
    await page.getByRole('button', { name: /Run diagnosis|Check again/ }).click();
    const finding = page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED');
    await expect.poll(() => finding.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await finding.first().textContent()).toContain('dc1');
    expect(await finding.first().textContent()).toMatch(/upstream/);
    // The pair left without an inbound end shares dc1's cause (the same gateway forward): it is folded into that card.
    expect(await finding.first().textContent()).toMatch(/Forward UDP 51820.*PAIR_NO_INBOUND_END:dc1:edge1/is);
    await screenshots(page, 'e2e-6-firewall');
  });

  it("shows a node's identity, peers and agent log on node detail", async () => {
    await page.getByTestId('nav-node').click();
    await page.getByRole('combobox', { name: 'Node' }).selectOption('dc1');
    await expect.poll(() => page.getByTestId('node-identity').textContent(), { timeout: 30_000 }).toContain('dc1');
    // Each peer's traffic is drawn; a peer that is up shows the round trip its agent measured (every 10 s).
    const peers = page.getByTestId('peer-table');
    const askAgain = page.getByRole('button', { name: 'Ask again' });
    await expect.poll(async () => (await askAgain.click(), await peers.textContent()), { timeout: 30_000, interval: 2000 }).toMatch(/up.*\d+\.\d ms/);
    expect(await peers.getByRole('img', { name: /^received .*, sent / }).count()).toBe(await peers.locator('tbody tr').count());
    await page.getByRole('button', { name: 'Show agent log' }).click();
    await expect.poll(() => page.getByTestId('agent-log').textContent(), { timeout: 30_000 }).toContain('agent started');
    await screenshots(page, 'e2e-7-node-detail');
  });

  it('lists the members the discovery service knows on the overview, decrypted with the cluster secret', async () => {
    await page.getByTestId('nav-overview').click();
    const members = page.getByTestId('members');
    await expect.poll(() => members.getByRole('heading').textContent(), { timeout: 30_000 }).toContain('(4, 0 not onboarded here)');
    for (const name of ['cloud1', 'cloud2', 'dc1', 'edge1']) expect(await members.getByRole('rowheader', { name, exact: true }).count()).toBe(1);
  });
});
