import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/handlers/index.js';
import { causeOf } from '../../renderer/topology/cause.js';
import { predict } from '../../renderer/topology/what-if.js';
import { hybridEvidenceDcOpen, hybridJumps, hybridReport, hybridSnapshot } from '../support/diagnosis-fixtures/hybrid-report.js';
import { FakeMeshSource } from './fake-mesh-source.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

const machine = (name: string, site: 'cloud' | 'datacenter' | 'edge'): Parameters<Handlers['machine:add']>[0] => ({
  name,
  ssh: { user: 'root', host: `${name}.lab`, port: 22 },
  auth: { useAgent: true },
  jump: (hybridJumps.find((j) => j.name === name)?.jump ?? []).map((j) => ({ ...j })),
  site,
  role: 'worker',
  labels: {},
});

const dcWall = 'gateway:datacenter|198.18.2.1:udp51820:inbound';

/** The last point of an SVG path, and the centre of a wall's mark, in the drawing's coordinates. */
async function arrowEnd(page: Page, testId: string): Promise<{ x: number; y: number }> {
  return page.getByTestId(testId).evaluate((el) => {
    const path = el as unknown as { getTotalLength(): number; getPointAtLength(l: number): { x: number; y: number } };
    const p = path.getPointAtLength(path.getTotalLength());
    return { x: p.x, y: p.y };
  });
}

/**
 * The hybrid lab's recorded diagnosis (dc1 behind dc-gw, which drops inbound UDP
 * 51820; edge1 behind edge-gw's NAT) pushed to the real UI: topology, path view and what-if.
 */
describe('topology draws the cause', () => {
  let ui: UiBackend;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiBackend('ui-topology', { meshSource: () => new FakeMeshSource(new Set()) });
    await ui.handlers['cluster:create']({ name: 'hybrid', discovery: { mode: 'node', port: 3000 } });
    for (const [name, site] of [
      ['cloud1', 'cloud'],
      ['cloud2', 'cloud'],
      ['dc1', 'datacenter'],
      ['edge1', 'edge'],
    ] as const)
      await ui.handlers['machine:add'](machine(name, site));
    await ui.handlers['mesh:get']({});
    page = await ui.open('#topology');
    ui.services.events.emit('mesh:snapshot', hybridSnapshot(1000));
    ui.services.events.emit('diagnosis:report', hybridReport());
    await page.getByTestId('gateway-dc-gw').waitFor();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('draws dc-gw on the Datacenter border with the wall on inbound UDP 51820, and the arrow from cloud2 stopping there', async () => {
    const site = await page.getByTestId('site-datacenter').evaluate((el) => {
      const r = el as unknown as { y: { baseVal: { value: number } }; x: { baseVal: { value: number } }; width: { baseVal: { value: number } } };
      return { x: r.x.baseVal.value, y: r.y.baseVal.value, width: r.width.baseVal.value };
    });
    const gateway = page.getByTestId('gateway-dc-gw');
    expect(await gateway.locator('title').textContent()).toContain('NAT (port-preserving), public 198.18.2.1, in front of dc1');
    const wall = page.getByTestId(`wall-${dcWall}`);
    expect(await wall.textContent()).toContain('✕ UDP 51820 ↓');
    const [wx, wy] = ((await wall.getAttribute('data-at')) ?? '').split(',').map(Number) as [number, number];
    expect(wx).toBeGreaterThan(site.x);
    expect(wx).toBeLessThan(site.x + site.width);
    expect(wy).toBeLessThan(site.y);
    const arrow = page.getByTestId('flow-cloud2-dc1-udp51820');
    expect(await arrow.getAttribute('data-wall')).toBe(dcWall);
    const end = await arrowEnd(page, 'flow-cloud2-dc1-udp51820');
    expect(Math.hypot(end.x - wx, end.y - wy)).toBeLessThan(4);
    expect(await arrow.locator('title').textContent()).toBe('cloud2 → dc1: UDP 51820 stops at dc-gw (the gateway drops it)');
    // The way back is open: no arrow from dc1 to cloud2.
    expect(await page.getByTestId('flow-dc1-cloud2-udp51820').count()).toBe(0);
    expect(await page.getByTestId('gateway-address-dc-gw').textContent()).toBe('198.18.2.1');
    await screenshots(page, 'topology-cause');
  });

  it('labels every wall with its port and protocol where its arrows end, one label per wall, clear of the others at the same gateway', async () => {
    const box = (testId: string) =>
      page.getByTestId(testId).evaluate((el) => {
        const b = (el as unknown as { getBBox(): { x: number; y: number; width: number; height: number } }).getBBox();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      });
    const label = await box(`wall-label-${dcWall}`);
    expect(await page.getByTestId(`wall-label-${dcWall}`).textContent()).toBe('✕ UDP 51820 ↓');
    const end = await arrowEnd(page, 'flow-cloud2-dc1-udp51820');
    expect(label.x - end.x).toBeGreaterThan(0);
    expect(label.x - end.x).toBeLessThan(30);
    expect(Math.abs(label.y + label.height / 2 - end.y)).toBeLessThan(8);
    const walls = await page
      .locator('[data-testid^="wall-gateway:"]')
      .evaluateAll((els) => els.map((el) => (el as unknown as { getAttribute(name: string): string | null }).getAttribute('data-testid')?.slice(5) ?? ''));
    expect(walls.length).toBeGreaterThanOrEqual(3);
    for (const id of walls) expect(await page.getByTestId(`wall-label-${id}`).count()).toBe(1);
    const edge = walls.filter((id) => id.startsWith('gateway:edge'));
    expect(await Promise.all(edge.map((id) => page.getByTestId(`wall-label-${id}`).textContent()))).toEqual(['✕ UDP 51820 ↓', '✕ TCP 50000 ↓']);
    const [a, b] = await Promise.all(edge.map((id) => box(`wall-label-${id}`)));
    if (!a || !b) throw new Error('edge-gw has two wall labels');
    expect(a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
  });

  it('opens the path view for cloud2 -> dc1 from its link: dropped at dc-gw, and open with the fix', async () => {
    await page.getByTestId('link-cloud2-dc1').focus();
    await page.keyboard.press('Enter');
    const lane = page.getByTestId('lane-cloud2-dc1');
    await lane.waitFor();
    expect(await lane.getAttribute('data-reach')).toBe('blocked');
    const hop = page.getByTestId('hop-cloud2-dc1-dc-gw');
    expect(await hop.getAttribute('data-result')).toBe('drop');
    expect(await hop.textContent()).toContain('seen as 198.18.2.1:51823');
    expect(await page.getByTestId('hop-cloud2-dc1-dc1').getAttribute('data-result')).toBe('not-reached');
    expect(await page.getByTestId('lane-dc1-cloud2').getAttribute('data-reach')).toBe('open');
    await page.getByTestId('path-with-fix').check();
    await expect.poll(() => lane.getAttribute('data-reach')).toBe('open');
    expect(await hop.getAttribute('data-result')).toBe('pass');
    expect(await page.getByTestId('path-fix').textContent()).toContain('Forward UDP 51820 to dc1 on the gateway');
    await screenshots(page, 'path-view');
  });

  it('keeps the path view in the address: a reload opens it again, Back closes it, Forward opens it, a bad pair is named', async () => {
    expect(new URL(page.url()).hash).toBe('#topology?path=cloud2,dc1');
    await page.reload();
    await page.locator('header .badge').waitFor();
    ui.services.events.emit('mesh:snapshot', hybridSnapshot(1001));
    ui.services.events.emit('diagnosis:report', hybridReport());
    await page.getByTestId('lane-cloud2-dc1').waitFor();
    expect(await page.getByTestId('hop-cloud2-dc1-dc-gw').getAttribute('data-result')).toBe('drop');
    await page.goBack();
    await page.getByTestId('path-view').waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toBe('#topology');
    expect(await page.getByTestId('topology').count()).toBe(1);
    await page.goForward();
    await page.getByTestId('lane-cloud2-dc1').waitFor();
    await page.getByRole('button', { name: 'Close the path view' }).click();
    await page.getByTestId('path-view').waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toBe('#topology');
    await page.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#topology?path=cloud2,nowhere';
    });
    expect(await page.getByTestId('path-problem').textContent()).toBe(
      "The address's path= names nowhere, not in this mesh: open a pair from the matrix or the drawing.",
    );
    await page.getByRole('button', { name: 'Close the path view' }).click();
    await page.getByTestId('path-view').waitFor({ state: 'detached' });
  });

  it('predicts with dc-gw switched off the score the diagnosis computes once dc-gw lets UDP 51820 in, and Apply this opens the fix dialog', async () => {
    const names = hybridSnapshot().nodes;
    const after = hybridReport(hybridEvidenceDcOpen());
    const expected = predict(
      after,
      causeOf(names, after, hybridJumps),
      new Set(),
      names.map((n) => n.name),
      () => true,
    ).score;
    const score = page.getByTestId('what-if-score');
    expect(await score.textContent()).toMatch(/^Score now 58 · /);
    await expect.poll(() => page.getByTestId('what-if-fewest').textContent()).toContain('fewest nodes to open so every pair has an inbound end: dc1.');
    await page.getByTestId(`wall-${dcWall}`).click();
    await expect.poll(() => score.textContent()).toContain(`Score now 58, predicted ${expected} ·`);
    expect(expected).toBe(75);
    expect(await page.getByTestId(`wall-${dcWall}`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('flow-cloud2-dc1-udp51820').count()).toBe(0);
    expect(await page.getByTestId('link-cloud2-dc1').locator('.link').first().getAttribute('class')).toBe('link link-up');
    expect(await page.getByTestId('what-if-matrix').textContent()).toContain('≈');
    await page.getByTestId(`apply-this-${dcWall}`).click();
    const dialog = page.getByTestId('apply-dialog').first();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('dc1');
    await page.keyboard.press('Escape');
    await screenshots(page, 'what-if');
  });

  it("opens the path view from a finding: the dc1 finding's pair, dropped at dc-gw", async () => {
    await page.getByTestId('nav-firewall').click();
    const link = page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED').locator('[data-testid^="open-path-"]').first();
    const [, from, to] = /^open-path-(\w+)-(\w+)$/.exec((await link.getAttribute('data-testid')) ?? '') ?? [];
    expect(to).toBe('dc1');
    await link.click();
    await page.getByTestId('path-view').waitFor();
    expect(await page.locator('#path-title').textContent()).toBe(`Path ${from} ↔ dc1`);
    expect(new URL(page.url()).hash).toBe(`#topology?path=${from},dc1`);
    expect(await page.getByTestId(`hop-${from}-dc1-dc-gw`).getAttribute('data-result')).toBe('drop');
  });
});
