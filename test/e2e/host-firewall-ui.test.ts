import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, startUiBackend, type UiBackend } from '../browser/ui-backend.js';
import { useLab } from '../lab/use-lab.js';

const lab = useLab('host-firewall');

describe('a host firewall fixed from the UI', () => {
  let ui: UiBackend;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiBackend('e2e-host-firewall');
    await ui.handlers['cluster:create']({ name: 'hostfw', discovery: { mode: 'node', port: 3000 } });
    for (const name of ['cloud1', 'cloud2', 'edge1']) {
      const ssh = lab.host(name).ssh;
      const jump = ssh.jump ? [{ user: 'root', host: ssh.jump.split('@')[1]?.split(':')[0] ?? '', port: Number(ssh.jump.split(':')[1] ?? 22) }] : [];
      await ui.handlers['machine:add']({
        name,
        ssh: { user: 'root', host: ssh.host, port: ssh.port },
        auth: { identityFile: ssh.identityFile, useAgent: false },
        jump,
        site: name.startsWith('edge') ? 'edge' : 'cloud',
        role: 'worker',
        labels: {},
      });
    }
    const results = await ui.handlers['node:onboard']({
      names: ['cloud1', 'cloud2', 'edge1'],
      concurrency: 3,
      hostKeys: { trustOnFirstUse: true, accept: {} },
      install: 'auto',
    });
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    page = await ui.open('#firewall');
  });
  afterAll(async () => {
    await ui?.close();
  });

  const pairState = async (from: string, to: string) => {
    const status = await ui.handlers['status:get']({});
    return status.nodes.find((n) => n.name === from)?.peers.find((p) => p.name === to)?.state;
  };

  it('applies the fix for the blocked port from the UI, and the pair comes up', async () => {
    await page.getByRole('button', { name: /Run diagnosis|Check again/ }).click();
    const finding = page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED');
    await expect.poll(() => finding.count(), { timeout: 60_000 }).toBe(1);
    expect(await finding.textContent()).toContain('cloud2');
    expect(await finding.textContent()).toMatch(/udp dport 51820 drop/);
    await screenshots(page, 'e2e-7-host-firewall');
    await finding.getByRole('button', { name: 'Apply on cloud2…' }).click();
    await screenshots(page, 'e2e-8-apply-dialog', false);
    await page.getByRole('button', { name: 'Apply with automatic revert' }).click();
    await expect.poll(() => page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED').count(), { timeout: 120_000 }).toBe(0);
    await expect.poll(() => pairState('edge1', 'cloud2'), { timeout: 90_000, interval: 2000 }).toBe('up');
    expect(await pairState('cloud2', 'edge1')).toBe('up');
    await page.getByTestId('nav-mesh').click();
    await screenshots(page, 'e2e-9-fixed-mesh');
  });
});
