import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererDir } from '../../electron/services/paths.js';
import { openDatabase, type Db } from '../../electron/services/store/database.js';
import { DiagnosisReportStore } from '../../electron/services/store/diagnosis-reports.js';
import { RunStore } from '../../electron/services/store/runs.js';
import { startWebServer, type WebServer } from '../../electron/web/server.js';
import { onboardingSteps } from '../../electron/contract/onboarding.js';
import { layoutMatrix } from '../../renderer/matrix/geometry.js';
import { simulatedReport, simulatedSnapshot } from './mesh-fixtures.js';
import type { PageGlobals } from './page-globals.js';
import { startUiBackend, type UiBackend } from './ui-backend.js';

interface Measured {
  scrollWidth: number;
  clientWidth: number;
  main: number;
  panels: number[];
  canvas: { width: number; height: number };
  smallest: { size: number; text: string };
}

/** Widths of the page, main and its panels, the matrix canvas, and the smallest text on the page. */
function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals & {
      document: {
        querySelectorAll(s: string): ArrayLike<{ clientWidth: number; clientHeight: number; textContent: string | null; children: ArrayLike<unknown> }>;
      };
    };
    const root = document.querySelectorAll('html')[0];
    const main = document.querySelectorAll('main')[0];
    const canvas = document.querySelectorAll('[data-testid="mesh-matrix"]')[0];
    let smallest = { size: 99, text: '' };
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from((element as unknown as { childNodes: ArrayLike<{ nodeType: number; textContent: string | null }> }).childNodes).some(
        (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
      );
      const size = parseFloat((getComputedStyle(element as never) as unknown as { fontSize: string }).fontSize);
      if (own && size < smallest.size) smallest = { size, text: element.textContent ?? '' };
    }
    return {
      scrollWidth: (root as unknown as { scrollWidth: number }).scrollWidth,
      clientWidth: root?.clientWidth ?? 0,
      main: main?.clientWidth ?? 0,
      panels: Array.from(document.querySelectorAll('main .panel')).map((p) => p.clientWidth),
      canvas: { width: canvas?.clientWidth ?? 0, height: canvas?.clientHeight ?? 0 },
      smallest,
    };
  });
}

describe('the UI follows the backend: connection, stored runs and diagnosis, linked screens, layout', () => {
  let ui: UiBackend;
  let db: Db;
  let restarted: WebServer | undefined;
  const snapshot = simulatedSnapshot(40, 5);
  const report = simulatedReport(snapshot);

  beforeAll(async () => {
    ui = await startUiBackend('ui-inventory');
    await ui.handlers['cluster:create']({ name: 'hybrid', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['machine:add']({
      name: 'cloud1',
      ssh: { user: 'root', host: '192.0.2.10', port: 22 },
      auth: { password: 'not-used-here', useAgent: false },
      jump: [],
      site: 'cloud',
      role: 'worker',
      labels: {},
    });
    db = openDatabase(ui.dataDir);
    new DiagnosisReportStore(db).save('hybrid', report);
    await ui.handlers['mesh:get']({});
  });
  afterAll(async () => {
    db?.close();
    await restarted?.close();
    await ui?.close();
  });

  it('a run that finished shows as finished after a reload, and a second window sees a run end without Cancel', async () => {
    const runs = new RunStore(db);
    const id = runs.start('hybrid', 'cloud1', 'onboard');
    for (const step of onboardingSteps) runs.step(id, step, 'done', 0, [`${step} ok`]);
    runs.finish(id, 'done');
    const page = await ui.open('#machines');
    const run = page.getByTestId('run-cloud1');
    await expect.poll(() => run.textContent()).toContain('done');
    expect(await run.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect(await run.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await page.reload();
    await expect.poll(() => page.getByTestId('run-cloud1').textContent()).toContain('verify ok');

    // A run started from elsewhere: this window only sees its progress events.
    const next = id + 1;
    ui.services.events.emit('onboard:progress', { machine: 'cloud1', runId: next, kind: 'onboard', step: 'service', state: 'running', percent: 77, log: [] });
    await expect.poll(() => run.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    ui.services.events.emit('onboard:progress', { machine: 'cloud1', runId: next, kind: 'onboard', step: 'verify', state: 'done', percent: 100, log: [] });
    await expect.poll(() => run.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    expect(await run.textContent()).toContain('done');
    await page.close();
  });

  it('firewall matrix cells open the pair panel on click and Enter, with the stored diagnosis findings; Escape closes it', async () => {
    const page = await ui.open('#firewall');
    const canvas = page.getByTestId('udp-matrix');
    await canvas.waitFor();
    const names = [...new Set(Object.keys(report.matrix.udp51820))].sort();
    const edges = names.filter((n) => n.startsWith('edge-'));
    const [from, to] = [names.indexOf(edges[0] as string), names.indexOf(edges[1] as string)];
    const width = await canvas.evaluate((c) => (c as unknown as { clientWidth: number }).clientWidth);
    const longest = Math.max(...names.map((n) => n.length));
    const g = layoutMatrix(
      names.length,
      names.length,
      (await canvas.evaluate((c) => (c as unknown as { parentElement: { parentElement: { clientWidth: number } } }).parentElement.parentElement.clientWidth)) ||
        width,
      longest,
    );
    await canvas.click({ position: { x: g.left + to * g.cell + g.cell / 2, y: g.top + from * g.cell + g.cell / 2 } });
    const panel = page.getByTestId('pair-detail');
    await panel.waitFor();
    expect(await panel.getByRole('heading', { level: 3 }).textContent()).toBe(`${edges[0]} → ${edges[1]}`);
    expect(await panel.textContent()).toContain('PAIR_NO_INBOUND_END');
    expect(await panel.textContent()).not.toContain('None for this pair');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);

    // The clicked cell keeps the focus: one to the right is the next pair of the same row.
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('pair-detail').getByRole('heading', { level: 3 }).textContent()).toBe(`${names[from]} → ${names[to + 1]}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('pair-detail').count()).toBe(0);

    // The tooltip of the last column stays inside the window.
    await canvas.hover({ position: { x: g.left + (names.length - 1) * g.cell + g.cell / 2, y: g.top + g.cell / 2 } });
    const tip = page.getByTestId('udp-matrix-tooltip');
    await expect.poll(async () => (await tip.boundingBox())?.x ?? -1).toBeGreaterThan(0);
    const box = await tip.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1280);
    await page.close();
  });

  it('Back and Forward change the screen with the URL, nav badges name Alt+N, and Escape closes a dialog', async () => {
    const page = await ui.open('#clusters');
    expect(await page.getByTestId('nav-overview').locator('kbd').textContent()).toBe('Alt+3');
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('nav-mesh').click();
    expect(await page.locator('main').getAttribute('aria-label')).toBe('Mesh matrix');
    await page.goBack();
    await expect.poll(() => page.locator('main').getAttribute('aria-label')).toBe('Overview');
    expect(new URL(page.url()).hash).toBe('#overview');
    expect(await page.getByTestId('nav-overview').getAttribute('aria-current')).toBe('page');
    await page.goForward();
    await expect.poll(() => page.locator('main').getAttribute('aria-label')).toBe('Mesh matrix');
    await page.keyboard.press('Alt+1');
    await page.getByRole('button', { name: 'Delete…' }).first().click();
    const dialog = page.getByTestId('delete-cluster-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await page.close();
  });

  it('fills 1280 and 1920 px: panels as wide as main, matrix cells that grow, no overflow, no text under 12 px', async () => {
    const at = async (width: number) => {
      const page = await ui.browser.newPage({ viewport: { width, height: 1000 } });
      await page.goto(`${ui.server.url}#mesh`);
      await page.getByTestId('mesh-matrix').waitFor();
      ui.services.events.emit('mesh:snapshot', snapshot);
      await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('40 nodes');
      await expect.poll(async () => (await measure(page)).canvas.width).toBeGreaterThan(0);
      const measured = await measure(page);
      await page.close();
      return measured;
    };
    const narrow = await at(1280);
    const wide = await at(1920);
    for (const m of [narrow, wide]) {
      expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
      for (const panel of m.panels) expect(panel).toBeGreaterThan(m.main * 0.9);
      expect(m.smallest.size, `"${m.smallest.text}"`).toBeGreaterThanOrEqual(12);
    }
    expect(wide.main).toBeGreaterThan(1600);
    expect(wide.canvas.width).toBeGreaterThan(narrow.canvas.width * 1.4);
    // No empty band: the label margin is what 8-character names need, not a fixed 118 px.
    const g = layoutMatrix(40, 40, wide.canvas.width, 'cloud-40'.length);
    expect(wide.canvas.height - 40 * g.cell).toBe(g.top);
    expect(g.top).toBeLessThan(90);
  });

  it('a closed backend shows the disconnected banner and greys the data; pending asks end; it connects again by itself', async () => {
    const page = await ui.open('#node/cloud1');
    const ask = page.getByRole('button', { name: /^Ask(ing…| again)$/ });
    await ask.waitFor();
    await ui.server.close();
    const banner = page.getByTestId('disconnected');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('data shown is frozen');
    expect(await page.locator('main').getAttribute('class')).toBe('frozen');
    // Whatever was being asked ends, and asking again while disconnected ends at once, saying why.
    await expect.poll(() => ask.textContent()).toBe('Ask again');
    await ask.click();
    await expect.poll(() => ask.textContent()).toBe('Ask again');
    expect(await page.locator('main .error-note .code-tag').first().textContent()).toBe('DISCONNECTED');
    restarted = await startWebServer({ handlers: ui.handlers, events: ui.services.events, rendererDir, port: ui.server.port, token: ui.server.token });
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    expect(await page.locator('main').getAttribute('class')).toBeNull();
    await page.close();
  });
});
