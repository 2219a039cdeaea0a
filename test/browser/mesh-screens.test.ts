import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshSnapshot } from '../../electron/contract/index.js';
import { openDatabase } from '../../electron/services/store/database.js';
import { MeshHistoryStore } from '../../electron/services/store/mesh-history.js';
import { fullPatch, simulatedReport, simulatedSnapshot } from './mesh-fixtures.js';
import type { PageCanvas, PageGlobals } from './page-globals.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

/** The colour of one canvas pixel (CSS pixel coordinates), as `rgb(r, g, b)`. */
async function pixel(page: Page, testId: string, x: number, y: number): Promise<string> {
  return page.getByTestId(testId).evaluate(
    (element, [px, py]) => {
      const canvas = element as unknown as PageCanvas;
      const ratio = canvas.width / canvas.clientWidth;
      const [r, g, b] = canvas.getContext('2d')?.getImageData(Math.round(px * ratio), Math.round(py * ratio), 1, 1).data ?? [];
      return `rgb(${r}, ${g}, ${b})`;
    },
    [x, y] as const,
  );
}

/** The theme colour of a state, as the canvas draws it. */
async function stateColour(page: Page, tone: string): Promise<string> {
  return page.evaluate((name) => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const probe = document.createElement('div');
    probe.style.color = `var(--state-${name})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, tone);
}

describe('mesh, topology, firewall and overview screens', () => {
  let ui: UiBackend;
  let page: Page;
  let small: MeshSnapshot;

  beforeAll(async () => {
    ui = await startUiBackend('ui-mesh');
    await ui.handlers['cluster:create']({ name: 'hybrid', discovery: { mode: 'node', port: 3000 } });
    // Start the real mesh service first: it pushes its own (empty) snapshot when it starts,
    // before the page connects; the simulated views below then come through the same event bus.
    await ui.handlers['mesh:get']({});
    page = await ui.open('#mesh');
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('draws the matrix for a 200-node snapshot pushed by the backend', async () => {
    ui.services.events.emit('mesh:snapshot', simulatedSnapshot(200, 1000));
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('200 nodes');
    const canvas = page.getByTestId('mesh-matrix');
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    // Row 0 (edge-001) to column 199 (the last cloud node) is up; row 0 to column 1 (edge) is down.
    const geometry = await canvas.evaluate((c) => ({ width: (c as unknown as PageCanvas).clientWidth }));
    const cell = (geometry.width - 8) / 200;
    await expect.poll(() => pixel(page, 'mesh-matrix', 8 + cell * 199 + cell / 2 - 0.5, 8 + cell / 2 - 0.5)).toBe(await stateColour(page, 'up'));
    expect(await pixel(page, 'mesh-matrix', 8 + cell * 1 + cell / 2 - 0.5, 8 + cell / 2 - 0.5)).toBe(await stateColour(page, 'down'));
    expect(await page.locator('.matrix-stack > *').count()).toBeLessThan(5);
    await screenshots(page, 'mesh-200', false);
  });

  it('applies patches in version order and refetches on a gap', async () => {
    const base = simulatedSnapshot(200, 2000);
    ui.services.events.emit('mesh:snapshot', base);
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('v2000');
    ui.services.events.emit('mesh:patch', fullPatch(base, 2001));
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('v2001');
    ui.services.events.emit('mesh:patch', fullPatch(base, 2005));
    await page.waitForTimeout(300);
    expect(await page.getByTestId('mesh-summary').textContent()).toContain('v2001');
  });

  it('moves between cells with the arrow keys and opens a pair with Enter', async () => {
    small = simulatedSnapshot(12, 3000);
    ui.services.events.emit('mesh:snapshot', small);
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('12 nodes');
    const canvas = page.getByTestId('mesh-matrix');
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toBe('edge-01 → edge-02: ✕ down; back ✕ down');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toBe('edge-02 → cloud-12: ✓ up; back ? unknown');
    expect(await page.getByRole('tooltip').textContent()).toContain('edge-02 → cloud-12');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('pair-detail').getByRole('heading').first().textContent()).toBe('edge-02 → cloud-12');
    await screenshots(page, 'mesh-12');
  });

  it('draws the topology with sites, links and the blocked direction', async () => {
    await page.keyboard.press('Alt+5');
    const svg = page.getByTestId('topology');
    await svg.waitFor();
    expect(await svg.locator('.site-box').count()).toBe(3);
    expect(await svg.locator('.topo-node').count()).toBe(12);
    // dc-06 takes no inbound UDP: every other non-lost node has a down link to it, each direction listed.
    expect(await svg.locator('.link-down').count()).toBeGreaterThan(5);
    expect(await page.getByText('dc-06 → cloud-11: ✓ up; cloud-11 → dc-06: ✕ down').count()).toBe(1);
    await screenshots(page, 'topology');
  });

  it('shows both reachability matrices, findings with evidence, and the fix commands', async () => {
    ui.services.events.emit('diagnosis:report', simulatedReport(small));
    await page.keyboard.press('Alt+6');
    await page.getByTestId('udp-matrix').waitFor();
    await page.getByTestId('tcp-matrix').waitFor();
    const finding = page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED');
    expect(await finding.textContent()).toContain('nftables on the host');
    expect(await finding.locator('pre.commands').first().textContent()).toContain('udp dport 51820 accept');
    expect(await page.getByTestId('finding-PAIR_NO_INBOUND_END').textContent()).toContain('Forward UDP 51820');
    await finding.getByRole('button', { name: 'Apply on dc-06…' }).click();
    const dialog = page.getByTestId('apply-dialog').first();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await screenshots(page, 'firewall-apply-dialog', false);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await screenshots(page, 'firewall');
  });

  it('groups nodes by site on the overview with a health score', async () => {
    await page.keyboard.press('Alt+3');
    await expect.poll(() => page.getByRole('heading', { name: /^Edge/ }).textContent()).toBe('Edge (4)');
    expect(await page.getByRole('heading', { name: /^Datacenter/ }).textContent()).toBe('Datacenter (4)');
    expect(await page.getByTestId('cluster-health').textContent()).toMatch(/\d+ \((good|degraded|poor)\)cluster health/);
    await screenshots(page, 'overview');
  });

  it('shows node detail (what status:get returns)', async () => {
    await page.keyboard.press('Alt+7');
    await expect.poll(() => page.getByRole('heading', { name: 'Node detail' }).count()).toBe(1);
    await expect.poll(() => page.getByText('No nodes in this cluster yet.').count()).toBe(1);
    await screenshots(page, 'node-detail');
  });

  it('edits the mesh settings with messages as you type, and saves only valid ones', async () => {
    await page.keyboard.press('Alt+8');
    const form = page.getByTestId('settings-form');
    const mtu = form.getByLabel('Mesh MTU');
    await expect.poll(() => mtu.inputValue()).toBe('1420');
    await mtu.fill('1000');
    await expect.poll(() => form.getByText('MTU: use at least 1280 (the IPv6 minimum)').count()).toBe(1);
    expect(await form.getByRole('button', { name: 'Save and apply' }).isDisabled()).toBe(true);
    await mtu.fill('1380');
    const filters = form.getByLabel(/Endpoint filters/);
    await filters.fill('198.18.0.0/15\n!bogus');
    await expect.poll(() => form.getByText("Endpoint filters, line 2: '!bogus' is not an IP or CIDR").count()).toBe(1);
    await filters.fill('198.18.0.0/15\n!198.18.3.0/24');
    await form.getByRole('button', { name: 'Save and apply' }).click();
    await expect.poll(() => page.getByTestId('settings-applied').textContent()).toContain('Saved; no onboarded node to apply to.');
    await screenshots(page, 'settings');
    expect(ui.services.settings.get().settings).toMatchObject({ mtu: 1380, endpointFilters: ['198.18.0.0/15', '!198.18.3.0/24'] });
  });

  it('opens a real pair from the mesh service with its traffic and round-trip history drawn', async () => {
    for (const name of ['rtt-a', 'rtt-b'])
      await ui.handlers['machine:add']({
        name,
        ssh: { user: 'root', host: '127.0.0.1', port: 1 },
        auth: { useAgent: true },
        jump: [],
        site: 'cloud',
        role: 'worker',
        labels: {},
      });
    const history = new MeshHistoryStore(openDatabase(ui.dataDir));
    const now = Date.now();
    history.append(
      'hybrid',
      [1.2, 3.4, null, 2.2].map((rttMs, i) => ({
        from: 'rtt-a',
        to: 'rtt-b',
        at: now - (4 - i) * 60_000,
        state: 'up' as const,
        rxRate: 1000 * (i + 1),
        txRate: 500,
        rttMs,
      })),
    );
    await page.getByTestId('nav-mesh').click();
    await ui.services.mesh.restart();
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('2 nodes');
    await page.getByTestId('mesh-matrix').focus();
    for (const key of ['ArrowUp', 'Home', 'ArrowRight']) await page.keyboard.press(key);
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toMatch(/^rtt-a → rtt-b/);
    await page.keyboard.press('Enter');
    const chart = page.getByTestId('rtt-chart');
    await expect.poll(() => chart.getAttribute('aria-label')).toBe('Round trip from 1.2 to 3.4 ms over 3 minutes');
    // The unmeasured sample leaves a gap: two runs of line, each starting with a move.
    expect((await chart.locator('path').getAttribute('d'))?.match(/M/g)).toHaveLength(2);
  });
});
