import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshSnapshot } from '../../electron/contract/index.js';
import { meshNode } from '../support/renderer/mesh.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

/** Two Spanwise nodes up with each other; cloud2 sees the Talos node down; the Talos node's own row is never reported. */
const view: MeshSnapshot = {
  version: 7000,
  cluster: 'mixed',
  nodes: [meshNode('cloud1'), meshNode('cloud2'), meshNode('talos-1', { managed: false, agentReachable: false, via: null, agentVersion: null, health: 25 })],
  cells: [3, 1, 1, 1, 3, 2, 0, 0, 3],
  clusterHealth: 75,
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('a member Spanwise does not manage in the mesh, topology and overview screens', () => {
  let ui: UiBackend;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiBackend('ui-not-managed');
    await ui.handlers['cluster:create']({ name: 'mixed', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['mesh:get']({});
    page = await ui.open('#mesh');
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('shows its row as not seen from this side, tagged, and keeps what the Spanwise nodes see of it', async () => {
    ui.services.events.emit('mesh:snapshot', view);
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('3 nodes');
    expect(await page.getByText('not seen from this side').count()).toBeGreaterThan(0);
    await page.getByTestId('mesh-matrix').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toBe('talos-1 (not managed) → cloud1: – not seen from this side; back ✓ up');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toBe('cloud2 → talos-1 (not managed): ✕ down; back – not seen from this side');
    await screenshots(page, 'mesh-not-managed', false);
  });

  it('draws it in the topology with a "not managed" tag', async () => {
    await page.keyboard.press('Alt+5');
    const node = page.getByRole('button', { name: /^talos-1 \(not managed by Spanwise\)/ });
    await node.waitFor();
    expect(await node.locator('.node-dot-unmanaged').count()).toBe(1);
    expect(await node.textContent()).toBe('talos-1 · not managed');
    expect(
      await page
        .getByRole('button', { name: /^cloud1,/ })
        .locator('.node-dot-unmanaged')
        .count(),
    ).toBe(0);
  });

  it('shows it on the overview tagged "not managed", and counts only the agents Spanwise runs', async () => {
    await page.keyboard.press('Alt+3');
    const card = page.getByRole('button', { name: /^talos-1: not managed by Spanwise/ });
    await card.waitFor();
    expect(await card.locator('.badge').textContent()).toBe('not managed');
    expect(await page.getByText('agents reachable').locator('..').textContent()).toContain('2 / 2');
  });
});
