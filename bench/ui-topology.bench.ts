// UI topology benchmark: the built renderer served by the real web server, in Debian's Chromium.
//   1. Cold first paint of the topology with 200 simulated nodes and their diagnosis (gateways, walls,
//      blocked directions): on a fresh page that has the mesh and the diagnosis but never showed the
//      topology, from clicking "Topology" to the frame after the drawing is in the page (target
//      < 100 ms); the headline. Beside it the warm figure: the same page leaving and coming back.
//      Baseline: an SVG of the same 200 nodes and as many plain lines as the topology draws links
//      and arrows, built with the DOM, to the frame after it is added, on that fresh page.
//   2. First paint of the path view of one pair, from clicking its "Path" button to the frame
//      after it shows (target < 100 ms), cold (the page's first path view) and warm. Baseline: the
//      same number of hop boxes added as plain DOM.
import type { Page } from 'playwright-core';
import type { DiagnosisReport, MeshSnapshot } from '../electron/contract/index.js';
import { simulatedReport, simulatedSnapshot } from '../test/browser/mesh-fixtures.js';
import { startUiBackend } from '../test/browser/ui-backend.js';
import { percentile, report } from './report.js';

const NODES = 200;
const RUNS = 7;

/** The simulated report with NATs: edge nodes behind one gateway per ten, the datacenter behind one. */
function withNats(snapshot: MeshSnapshot): DiagnosisReport {
  const base = simulatedReport(snapshot);
  const nat: NonNullable<DiagnosisReport['nat']> = {};
  snapshot.nodes.forEach((node, i) => {
    const behind = node.site !== 'cloud';
    const publicIp = node.site === 'edge' ? `203.0.113.${1 + Math.floor(i / 10)}` : node.site === 'datacenter' ? '198.51.100.1' : `192.0.2.${i}`;
    nat[node.name] = { kind: behind ? 'port-preserving' : 'none', behindNat: behind, publicIp, observed: [`${publicIp}:51820`] };
  });
  return { ...base, nat };
}

/** Clicks a nav or page button and waits until the first frame that holds `selector` has been painted. */
async function firstPaint(page: Page, click: string, selector: string): Promise<number> {
  return page.evaluate(
    async ([button, wanted]) => {
      const g = globalThis as unknown as {
        document: { querySelector(s: string): { click(): void } | null };
        requestAnimationFrame(cb: () => void): number;
      };
      await new Promise<void>((resolve) => g.requestAnimationFrame(() => setTimeout(resolve, 0)));
      const started = performance.now();
      g.document.querySelector(button as string)?.click();
      await new Promise<void>((resolve) => {
        const check = () => (g.document.querySelector(wanted as string) ? setTimeout(resolve, 0) : g.requestAnimationFrame(check));
        g.requestAnimationFrame(check);
      });
      return performance.now() - started;
    },
    [click, selector],
  );
}

/** The baseline: `nodes` circles and `lines` lines in an SVG built with the DOM, to the frame after. */
async function plainSvg(page: Page, nodes: number, lines: number): Promise<number> {
  return page.evaluate(
    async ([n, l]) => {
      const g = globalThis as unknown as {
        document: {
          createElementNS(ns: string, tag: string): { setAttribute(k: string, v: string): void; append(...c: unknown[]): void; remove(): void; id: string };
          getElementById(id: string): { remove(): void } | null;
          body: { append(c: unknown): void };
        };
        requestAnimationFrame(cb: () => void): number;
      };
      g.document.getElementById('bench-svg')?.remove();
      const afterFrame = () => new Promise<void>((resolve) => g.requestAnimationFrame(() => setTimeout(resolve, 0)));
      await afterFrame();
      const started = performance.now();
      const ns = 'http://www.w3.org/2000/svg';
      const svg = g.document.createElementNS(ns, 'svg');
      svg.id = 'bench-svg';
      svg.setAttribute('viewBox', '0 0 960 700');
      svg.setAttribute('style', 'position:absolute;top:0;left:0;width:960px;z-index:20');
      for (let i = 0; i < (l as number); i++) {
        const line = g.document.createElementNS(ns, 'line');
        for (const [k, v] of [
          ['x1', (i * 7) % 960],
          ['y1', (i * 13) % 700],
          ['x2', (i * 11) % 960],
          ['y2', (i * 17) % 700],
        ])
          line.setAttribute(k as string, String(v));
        line.setAttribute('stroke', '#d64545');
        svg.append(line);
      }
      for (let i = 0; i < (n as number); i++) {
        const c = g.document.createElementNS(ns, 'circle');
        c.setAttribute('cx', String((i * 37) % 960));
        c.setAttribute('cy', String((i * 53) % 700));
        c.setAttribute('r', '4');
        svg.append(c);
      }
      g.document.body.append(svg);
      await afterFrame();
      return performance.now() - started;
    },
    [nodes, lines],
  );
}

/** A fresh page on the About screen that holds the mesh view and the diagnosis. */
async function freshPage(ui: Awaited<ReturnType<typeof startUiBackend>>, snapshot: MeshSnapshot, diagnosis: DiagnosisReport): Promise<Page> {
  const page = await ui.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.goto(`${ui.server.url}#about`);
  await page.locator('header .badge').waitFor();
  ui.services.events.emit('mesh:snapshot', snapshot);
  ui.services.events.emit('diagnosis:report', diagnosis);
  await page.getByTestId('nav-count-firewall').waitFor();
  return page;
}

const ui = await startUiBackend('bench-ui-topology');
try {
  await ui.handlers['cluster:create']({ name: 'bench', discovery: { mode: 'node', port: 3000 } });
  await ui.handlers['mesh:get']({});
  const snapshot = simulatedSnapshot(NODES, 1, 'bench');
  const diagnosis = withNats(snapshot);
  const cold = { topology: [] as number[], path: [] as number[], svg: [] as number[] };
  const warm = { topology: [] as number[], path: [] as number[] };
  let page: Page | null = await freshPage(ui, snapshot, diagnosis);
  await page.getByTestId('nav-topology').click();
  const drawn = await page.locator('[data-testid="topology"] path').count();
  for (let i = 0; i < RUNS; i++) {
    await page?.close();
    page = await freshPage(ui, snapshot, diagnosis);
    cold.svg.push(await plainSvg(page, NODES, drawn));
    cold.topology.push(await firstPaint(page, '[data-testid="nav-topology"]', '[data-testid="topology"]'));
    const pathButton = await page.locator('.plain-list [data-testid^="path-"]').first().getAttribute('data-testid');
    cold.path.push(await firstPaint(page, `[data-testid="${pathButton}"]`, '[data-testid="path-view"]'));
  }
  if (!page) throw new Error('no page');
  const hops = await page.locator('[data-testid="path-view"] .hop').count();
  const pathButton = await page.locator('.plain-list [data-testid^="path-"]').first().getAttribute('data-testid');
  for (let i = 0; i < RUNS; i++) {
    await page.getByRole('button', { name: 'Close the path view' }).click();
    await page.getByTestId('nav-about').click();
    await page.getByTestId('topology').waitFor({ state: 'detached' });
    warm.topology.push(await firstPaint(page, '[data-testid="nav-topology"]', '[data-testid="topology"]'));
    warm.path.push(await firstPaint(page, `[data-testid="${pathButton}"]`, '[data-testid="path-view"]'));
  }
  const svg: number[] = [];
  for (let i = 0; i < RUNS; i++) svg.push(await plainSvg(page, NODES, drawn));
  const dom: number[] = [];
  for (let i = 0; i < RUNS; i++) dom.push(await plainSvg(page, hops, 0));
  const target = '< 100 ms';
  const median = (xs: number[]) => percentile(xs, 50);
  report(
    `ui-topology first paint cold, ${NODES} nodes, ${drawn} paths (fresh page, median of ${RUNS})`,
    median(cold.topology),
    'ms',
    median(cold.svg),
    `${target}; baseline a plain DOM-built SVG of as many elements on a fresh page`,
  );
  report(`ui-topology first paint warm, ${NODES} nodes (back to the screen, median of ${RUNS})`, median(warm.topology), 'ms', median(svg), target);
  report(`ui-path-view first paint cold, ${hops} hops (first on the page, median of ${RUNS})`, median(cold.path), 'ms', median(dom), target);
  report(
    `ui-path-view first paint warm, ${hops} hops (median of ${RUNS})`,
    median(warm.path),
    'ms',
    median(dom),
    `${target}; baseline as many plain SVG elements`,
  );
} finally {
  await ui.close();
}
