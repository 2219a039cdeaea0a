import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedReport, simulatedSnapshot } from './mesh-fixtures.js';
import { startUiBackend, type UiBackend } from './ui-backend.js';

/** The drawing's width in drawing units and its frame's width in CSS pixels. */
async function widths(page: Page): Promise<{ drawn: number; frame: number }> {
  const svg = page.getByTestId('topology');
  const drawn = Number((await svg.getAttribute('viewBox'))?.split(' ')[2]);
  const frame = await svg.evaluate((element) => Math.round((element as unknown as { parentElement: { clientWidth: number } }).parentElement.clientWidth));
  return { drawn, frame };
}

describe('topology of 200 nodes', () => {
  let ui: UiBackend;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiBackend('ui-topology-large');
    await ui.handlers['cluster:create']({ name: 'large', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['mesh:get']({});
    page = await ui.open('#about');
    const snapshot = simulatedSnapshot(200, 1000, 'large');
    ui.services.events.emit('mesh:snapshot', snapshot);
    ui.services.events.emit('diagnosis:report', simulatedReport(snapshot));
    await page.getByTestId('nav-count-firewall').waitFor();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('draws each node as one focusable dot named in its label, at the width of its frame and following a resize, and opens node detail with Enter', async () => {
    await page.getByTestId('nav-topology').click();
    const svg = page.getByTestId('topology');
    await svg.waitFor();
    const first = await widths(page);
    expect(Math.abs(first.drawn - first.frame)).toBeLessThanOrEqual(8);
    expect(await svg.locator('circle.topo-node[role="button"]').count()).toBe(200);
    expect(await svg.locator('g.topo-node').count()).toBe(0);
    expect(await svg.locator('.node-label').count()).toBe(0);
    await page.setViewportSize({ width: 1600, height: 900 });
    await expect.poll(async () => (await widths(page)).drawn).toBe((await widths(page)).frame);
    expect((await widths(page)).drawn).toBeGreaterThan(first.drawn + 100);
    const node = page.getByRole('button', { name: /^dc-\d+, datacenter, health \d+: open node detail$/ }).first();
    const name = (await node.getAttribute('aria-label'))?.split(',')[0];
    await node.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#node/${name}`);
  });
});
