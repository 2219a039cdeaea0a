// UI matrix benchmark: the built renderer served by the real web server, in Debian's Chromium.
//   1. First paint of the mesh matrix with 200 simulated nodes: from clicking "Mesh matrix"
//      to the frame after the canvas is drawn (target < 200 ms). Baseline: the same
//      200 x 200 cells as 40,000 DOM elements, to the frame after they are added.
//   2. A 1 Hz update of all 40,000 cells for 10 s, pushed by the backend as `mesh:patch`
//      events over the WebSocket, with a PerformanceObserver for long tasks (target: none
//      over 50 ms). Reported: the longest task and the worst main-thread time per update
//      (message handling + canvas draw). Baseline: the same updates applied to the
//      40,000 DOM cells (class changes + style and layout).
import type { Page } from 'playwright-core';
import { fullPatch, simulatedSnapshot } from '../test/browser/mesh-fixtures.js';
import type { PageElement, PageGlobals } from '../test/browser/page-globals.js';
import { startUiBackend, type UiBackend } from '../test/browser/ui-backend.js';
import { percentile, report } from './report.js';

const NODES = 200;
const RUNS = 7;
const UPDATES = 10;

/** Before the app loads: time every WebSocket message handler, and record long tasks (plain JS: it runs in the page). */
const instrument = `
  globalThis.__name = (f) => f;
  window.benchHandlerMs = [];
  window.benchLongTasks = [];
  window.benchDrawMs = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => window.benchLongTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, options);
    return add.call(this, type, (event) => {
      const started = performance.now();
      listener.call(this, event);
      const ms = performance.now() - started;
      if (ms > 1) window.benchHandlerMs.push(ms);
    }, options);
  };
`;

async function canvasFirstPaint(page: Page): Promise<number> {
  await page.getByTestId('nav-about').click();
  await page.getByTestId('mesh-matrix').waitFor({ state: 'detached' });
  return page.evaluate(async () => {
    const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals;
    const afterFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    await afterFrame();
    const drawn = new Promise((resolve) => document.addEventListener('spanwise:drawn', resolve, { once: true, capture: true }));
    const started = performance.now();
    document.querySelector('[data-testid="nav-mesh"]')?.click();
    await drawn;
    await afterFrame();
    return performance.now() - started;
  });
}

async function domFirstPaint(page: Page, cells: number[]): Promise<number> {
  return page.evaluate(async (codes) => {
    const { document, requestAnimationFrame } = globalThis as unknown as PageGlobals;
    document.getElementById('bench-dom')?.remove();
    const afterFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    await afterFrame();
    const started = performance.now();
    const n = Math.round(Math.sqrt(codes.length));
    const grid = document.createElement('div');
    grid.id = 'bench-dom';
    grid.style.cssText = `display:grid;grid-template-columns:repeat(${n},5px);gap:0;position:absolute;top:0;left:0;z-index:20`;
    const colours = ['#b9bec6', '#2a9d5c', '#d64545', '#e6e9ee'];
    for (const code of codes) {
      const cell = document.createElement('div');
      cell.style.cssText = `width:5px;height:5px;background:${colours[code]}`;
      cell.title = 'pair';
      grid.append(cell);
    }
    document.body.append(grid);
    await afterFrame();
    return performance.now() - started;
  }, cells);
}

async function canvasUpdates(
  ui: UiBackend,
  page: Page,
  base: ReturnType<typeof simulatedSnapshot>,
): Promise<{ worst: number; longest: number; count: number }> {
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.benchHandlerMs = [];
    w.benchLongTasks = [];
    w.benchDrawMs = [];
    w.document.addEventListener('spanwise:drawn', (e) => w.benchDrawMs.push((e.detail as { ms: number }).ms), { capture: true });
  });
  for (let i = 1; i <= UPDATES; i++) {
    ui.services.events.emit('mesh:patch', fullPatch(base, base.version + i));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const seen = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return {
      handler: w.benchHandlerMs,
      draw: w.benchDrawMs,
      long: w.benchLongTasks,
      version: w.document.querySelector('[data-testid="mesh-summary"]')?.textContent ?? '',
    };
  });
  if (!seen.version.includes(`v${base.version + UPDATES}`) || seen.draw.length < UPDATES)
    throw new Error(`updates did not all arrive: ${seen.version}, ${seen.draw.length} draws`);
  const perUpdate = seen.draw.map((draw, i) => draw + (seen.handler[i] ?? 0));
  return { worst: Math.max(...perUpdate), longest: Math.max(0, ...seen.long), count: seen.long.filter((d) => d > 50).length };
}

async function domUpdates(page: Page): Promise<{ worst: number; longest: number }> {
  return page.evaluate(async (updates) => {
    const w = globalThis as unknown as PageGlobals;
    w.benchLongTasks = [];
    const grid = w.document.getElementById('bench-dom') as PageElement;
    const cells = Array.from(grid.children);
    const n = Math.round(Math.sqrt(cells.length));
    const times: number[] = [];
    for (let u = 1; u <= updates; u++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const started = performance.now();
      cells.forEach((cell, i) => {
        if (Math.floor(i / n) !== i % n) cell.style.background = (i + u) % 2 === 0 ? '#2a9d5c' : '#d64545';
      });
      grid.getBoundingClientRect();
      w.getComputedStyle(cells[cells.length - 2] as PageElement).background.slice(0);
      times.push(performance.now() - started);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { worst: Math.max(...times), longest: Math.max(0, ...w.benchLongTasks) };
  }, UPDATES);
}

const ui = await startUiBackend('bench-ui-matrix');
try {
  await ui.handlers['cluster:create']({ name: 'bench', discovery: { mode: 'node', port: 3000 } });
  // Start the real mesh service before the page connects (it pushes its own empty snapshot on start).
  await ui.handlers['mesh:get']({});
  const page = await ui.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // The init script also defines `__name`: tsx keeps function names with a helper the page lacks.
  await page.addInitScript({ content: instrument });
  await page.goto(`${ui.server.url}#about`);
  await page.locator('header .badge').waitFor();
  const base = simulatedSnapshot(NODES, 1);
  ui.services.events.emit('mesh:snapshot', base);
  await page.waitForTimeout(500);

  const canvas: number[] = [];
  for (let i = 0; i < RUNS; i++) canvas.push(await canvasFirstPaint(page));
  const dom: number[] = [];
  const codes = base.cells.map(Number);
  for (let i = 0; i < RUNS; i++) dom.push(await domFirstPaint(page, codes));
  report(`ui-matrix first paint, ${NODES} nodes (median of ${RUNS})`, percentile(canvas, 50), 'ms', percentile(dom, 50), '< 200 ms; baseline 40,000 DOM cells');
  report(`ui-matrix first paint, ${NODES} nodes (cold, first run)`, canvas[0] as number, 'ms', dom[0] as number, '< 200 ms; baseline 40,000 DOM cells');

  const domUpdate = await domUpdates(page);
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.getElementById('bench-dom')?.remove());
  const canvasUpdate = await canvasUpdates(ui, page, base);
  report(
    `ui-matrix 1 Hz update of ${NODES * NODES} cells, worst main-thread time per update`,
    canvasUpdate.worst,
    'ms',
    domUpdate.worst,
    'no long task over 50 ms; baseline 40,000 DOM cells',
  );
  report(
    `ui-matrix 1 Hz update of ${NODES * NODES} cells, longest task over ${UPDATES} s (${canvasUpdate.count} over 50 ms)`,
    canvasUpdate.longest,
    'ms',
    domUpdate.longest,
    'none over 50 ms; baseline 40,000 DOM cells; 0 = no task over 50 ms',
  );
} finally {
  await ui.close();
}
