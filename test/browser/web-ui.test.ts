import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../agent/shared/version.js';
import { createHandlers } from '../../electron/handlers/index.js';
import { createServices } from '../../electron/services/index.js';
import { rendererDir } from '../../electron/services/paths.js';
import { startWebServer, type WebServer } from '../../electron/web/server.js';
import { buildApp } from './build-renderer.js';
import { launchChromium, screenshotPath } from './chromium.js';

describe('web UI in Chromium', () => {
  let browser: Browser;
  let server: WebServer;
  const dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-web-ui-')), 'data');

  beforeAll(async () => {
    buildApp();
    const services = createServices({ mode: 'web', dataDir });
    server = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders backend facts fetched through the contract over the WebSocket', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}#about`);
    await expect.poll(() => page.getByTestId('version').textContent()).toBe(VERSION);
    expect(await page.getByTestId('mode').textContent()).toBe('web');
    expect(await page.getByText(dataDir).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('web-ui-about') });
    await page.close();
  });

  it('shows nothing but 401 without the token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(response?.status()).toBe(401);
    expect(await page.locator('#root').count()).toBe(0);
    await page.close();
  });
});
