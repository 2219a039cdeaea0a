import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createHandlers } from '../../electron/handlers/index.js';
import type { Handlers } from '../../electron/handlers/index.js';
import { createServices, type ServiceOptions, type Services } from '../../electron/services/index.js';
import { rendererDir } from '../../electron/services/paths.js';
import { startWebServer, type WebServer } from '../../electron/web/server.js';
import { buildApp } from './build-renderer.js';
import { launchChromium, screenshotPath } from './chromium.js';
import type { PageCanvas, PageGlobals } from './page-globals.js';

/** The real web server over real services on a temp data dir, and Chromium. */
export interface UiBackend {
  services: Services;
  handlers: Handlers;
  server: WebServer;
  browser: Browser;
  dataDir: string;
  /** A page on the UI, connected to the backend (events flow once this resolves). */
  open(hash?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the app and starts everything a browser test needs; `options` go to the services (e.g. a fake mesh source). */
export async function startUiBackend(name: string, options: Omit<ServiceOptions, 'mode' | 'dataDir'> = {}): Promise<UiBackend> {
  buildApp();
  const dataDir = join(mkdtempSync(join(tmpdir(), `spanwise-${name}-`)), 'data');
  const services = createServices({ ...options, mode: 'web', dataDir });
  const handlers = createHandlers(services);
  const server = await startWebServer({ handlers, events: services.events, rendererDir });
  const browser = await launchChromium();
  return {
    services,
    handlers,
    server,
    browser,
    dataDir,
    async open(hash = '') {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${server.url}${hash}`);
      await page.getByTestId('current-cluster').waitFor();
      await page.locator('header .badge').waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      services.close();
    },
  };
}

/** Saves a light and a dark screenshot of the page as it is. */
export async function screenshots(page: Page, name: string, fullPage = true): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: screenshotPath(`${name}-${scheme}`), fullPage });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** How many pixels of the canvas have the theme colour of a state. */
export async function pixelsOf(page: Page, testId: string, tone: string): Promise<number> {
  return page.getByTestId(testId).evaluate((element, name) => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const probe = document.createElement('div');
    probe.style.color = `var(--state-${name})`;
    document.body.append(probe);
    const [r, g, b] = (getComputedStyle(probe).color.match(/\d+/g) ?? []).map(Number);
    probe.remove();
    const canvas = element as unknown as PageCanvas & { height: number };
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) count += 1;
    return count;
  }, tone);
}
