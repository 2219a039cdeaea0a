import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterHealth, MeshNode, MeshSnapshot, PairCode, SiteKind } from '../../electron/contract/index.js';
import { report } from '../../electron/services/diagnosis/diagnose.js';
import { openDatabase } from '../../electron/services/store/database.js';
import { MachineStore } from '../../electron/services/store/machines.js';
import { hybridEvidence } from '../support/diagnosis-fixtures/lab-scenarios.js';
import { screenshotPath } from './chromium.js';
import { pixelsOf, screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

const sites: Array<[string, SiteKind]> = [
  ['cloud1', 'cloud'],
  ['cloud2', 'cloud'],
  ['dc1', 'datacenter'],
  ['edge1', 'edge'],
];
const node = ([name, site]: [string, SiteKind]): MeshNode => ({
  name,
  site,
  role: 'worker',
  health: 100,
  agentReachable: true,
  via: 'direct',
  address: null,
  agentVersion: '1',
  managed: true,
});
/** The four hybrid nodes, every pair up as WireGuard sees it. */
const allUp = (version: number): MeshSnapshot => ({
  version,
  cluster: 'hybrid',
  nodes: sites.map(node),
  cells: sites.flatMap((_, i) => sites.map((__, j) => (i === j ? 3 : 1) as PairCode)),
  clusterHealth: 100,
  updatedAt: new Date().toISOString(),
});

describe('one health model on every screen (hybrid: dc1 takes no inbound UDP 51820)', () => {
  let ui: UiBackend;
  let page: Page;
  let health: ClusterHealth;

  beforeAll(async () => {
    ui = await startUiBackend('ui-health');
    await ui.handlers['cluster:create']({ name: 'hybrid', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['mesh:get']({});
    page = await ui.open('#mesh');
    ui.services.events.emit('mesh:snapshot', allUp(5000));
    ui.services.events.emit('diagnosis:report', report(hybridEvidence('up'), 4200));
    // The health service follows the event bus as it emits: the model is current at once.
    health = await ui.handlers['health:get']({});
  });
  afterAll(async () => {
    await ui?.close();
  });

  it("draws dc1's pairs as fragile cells in their own colour, with a legend entry and why in the cell's label", async () => {
    expect(health.verdict).toBe('fragile');
    expect(health.fragile.filter((p) => p.from === 'dc1' || p.to === 'dc1')).toHaveLength(6);
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain(`(${health.pairs.fragile} ≈ fragile)`);
    expect(await page.getByRole('list', { name: 'Legend' }).first().textContent()).toContain('≈fragile');
    await expect.poll(() => pixelsOf(page, 'mesh-matrix', 'fragile')).toBeGreaterThan(0);
    await page.getByTestId('mesh-matrix').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByTestId('mesh-matrix-focus').textContent())
      .toBe('cloud1 → dc1: ≈ fragile; back ≈ fragile (fragile: dc1 does not accept UDP 51820 inbound (blocked upstream of the host))');
    await screenshots(page, 'health-mesh', false);
  });

  it('counts the open findings of each screen on the navigation', async () => {
    expect(health.screens.firewall).toBe(health.causes.length);
    expect(health.causes.length).toBeLessThan(report(hybridEvidence('up'), 1).findings.length);
    await expect.poll(() => page.getByTestId('nav-count-firewall').textContent()).toBe(`${health.screens.firewall} findings`);
    expect(await page.getByTestId('nav-count-mesh').textContent()).toBe(`${health.screens.mesh} findings`);
    expect(await page.getByTestId('nav-count-clusters').count()).toBe(0);
  });

  it('leads the overview with the score, the top problem and its fix, one click from the Firewall screen', async () => {
    await page.keyboard.press('Alt+3');
    // The overview loads status, mesh and model again on entry; on a loaded machine that takes more than the default second.
    await expect.poll(() => page.getByTestId('cluster-health').textContent(), { timeout: 15_000 }).toContain(`${health.score} (`);
    const top = page.getByTestId('top-problems');
    const lead = health.causes.find((c) => c.severity !== 'info');
    await expect.poll(() => top.getByRole('listitem').first().textContent()).toContain(lead?.title);
    expect(await top.getByTestId('fix-box').textContent()).toContain(lead?.remediation.summary);
    expect(await page.getByTestId('site-datacenter').textContent()).toMatch(/\d+ fragile/);
    await screenshots(page, 'health-overview');
    await top.getByRole('button', { name: 'Open the Firewall screen' }).click();
    await expect.poll(() => page.getByTestId('nav-firewall').getAttribute('aria-current')).toBe('page');
  });

  it("shows dc1's root cause as one card: plain title, impact, the fix first with copyable snippets, evidence collapsed, nothing repeated", async () => {
    const card = page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED');
    await expect.poll(() => card.count()).toBe(1);
    expect(await page.getByTestId('finding-PAIR_NO_INBOUND_END').count()).toBe(0);
    expect(await card.getByRole('heading').first().textContent()).toBe('dc1 does not accept UDP 51820 inbound (blocked upstream of the host)');
    expect(await card.locator('.finding-impact').textContent()).toContain('break when a NAT or firewall mapping expires');
    expect(await card.locator('code.code-tag').first().textContent()).toBe('UDP_51820_INBOUND_BLOCKED');
    const order = await card.evaluate((el) =>
      Array.from(
        (el as unknown as { children: ArrayLike<{ className: string; dataset: { testid?: string } }> }).children,
        (c) => c.dataset.testid ?? c.className,
      ),
    );
    expect(order.indexOf('fix-box')).toBeLessThan(order.indexOf('evidence'));
    expect(order.indexOf('fix-box')).toBe(2);
    expect(await card.getByTestId('snippet-nftables').textContent()).toContain('dnat to 198.19.2.10:51820');
    expect(await card.getByTestId('snippet-iptables').getByRole('button', { name: 'Copy the iptables commands' }).count()).toBe(1);
    const evidence = card.getByTestId('evidence');
    expect(await evidence.getAttribute('open')).toBeNull();
    expect(await evidence.locator('.evidence').isVisible()).toBe(false);
    expect(await evidence.textContent()).toContain('PAIR_NO_INBOUND_END:dc1:edge1');
    const text = (await card.textContent()) ?? '';
    expect(text.split('Change request for the gateway in front of dc1').length - 1).toBe(1);
    const lines = await evidence.locator('li').allTextContents();
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.filter((l) => /seen as (\S+) and \1\b/.test(l))).toEqual([]);
    expect(await card.getByTestId('affected-pairs').textContent()).toContain('dc1 → edge1');
    await evidence.locator('summary').click();
    expect(await evidence.locator('.evidence').isVisible()).toBe(true);
    await screenshots(page, 'health-findings');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: screenshotPath('health-findings-1920-light'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("flags Settings' MTU where the recommendation from a node's link is below it, and the model says so", async () => {
    await ui.handlers['machine:add']({
      name: 'edge1',
      ssh: { user: 'root', host: '127.0.0.1', port: 1 },
      auth: { useAgent: true },
      jump: [],
      site: 'edge',
      role: 'worker',
      labels: {},
    });
    const db = openDatabase(ui.dataDir);
    new MachineStore(db).setUnderlayMtu('hybrid', 'edge1', 1492);
    db.close();
    expect((await ui.handlers['health:get']({})).mtu).toEqual({ configured: 1420, recommended: 1412, above: true });
    await page.keyboard.press('Alt+8');
    await expect.poll(() => page.getByTestId('mtu-above').textContent()).toContain('The mesh MTU 1420 is above the recommended 1412');
  });
});
