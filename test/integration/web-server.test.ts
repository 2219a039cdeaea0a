import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireFrame } from '../../electron/contract/index.js';
import { createHandlers } from '../../electron/handlers/index.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { startWebServer, type WebServer } from '../../electron/web/server.js';

function invokeOverSocket(url: string, frame: WireFrame, headers: Record<string, string> = {}): Promise<WireFrame> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => ws.send(JSON.stringify(frame)));
    ws.on('message', (data) => {
      resolve(JSON.parse(String(data)) as WireFrame);
      ws.close();
    });
    ws.on('error', reject);
  });
}

describe('web mode server', () => {
  let server: WebServer;
  let services: Services;
  let base: string;

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'spanwise-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Spanwise</title>');
    writeFileSync(join(tmpdir(), 'spanwise-secret-outside.txt'), 'outside');
    services = createServices({ mode: 'web', dataDir: join(rendererDir, 'data') });
    server = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(server.url).toBe(`${base}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(43);
  });

  it('refuses to serve plain HTTP and its token beyond loopback, and serves ::1 at a bracketed URL', async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'spanwise-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Spanwise</title>');
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      await expect(startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir, host })).rejects.toMatchObject({ code: 'WEB_HOST_NOT_LOOPBACK' });
    }
    const v6 = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir, host: '::1' });
    try {
      expect(v6.url).toBe(`http://[::1]:${v6.port}/?token=${v6.token}`);
      expect((await fetch(v6.url)).status).toBe(200);
    } finally {
      await v6.close();
    }
  });

  it('answers 401 and serves nothing without the token', async () => {
    for (const path of ['/', '/index.html', '/app.js', '/?token=wrong']) {
      const response = await fetch(base + path);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('<title>');
    }
  });

  it('serves the UI with the token and then by cookie', async () => {
    const first = await fetch(server.url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('<title>Spanwise</title>');
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^spanwise_token=/);
    expect(first.headers.get('set-cookie')).toContain('HttpOnly');
    const second = await fetch(`${base}/index.html`, { headers: { cookie } });
    expect(second.status).toBe(200);
  });

  it('does not serve files outside the renderer dir', async () => {
    const response = await fetch(`${base}/..%2fspanwise-secret-outside.txt?token=${server.token}`);
    expect(response.status).toBe(404);
  });

  it('carries the contract over the WebSocket, with the token', async () => {
    const reply = await invokeOverSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { kind: 'invoke', id: 7, channel: 'app:info', request: {} });
    expect(reply).toMatchObject({ kind: 'result', id: 7, result: { ok: true, value: { mode: 'web' } } });
  });

  it('pushes backend events to connected sockets', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const got = new Promise<WireFrame>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)) as WireFrame)));
    services.events.emit('app:notice', { level: 'info', text: 'hello' });
    expect(await got).toEqual({ kind: 'event', event: 'app:notice', payload: { level: 'info', text: 'hello' } });
    ws.close();
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(invokeOverSocket(`ws://127.0.0.1:${server.port}/ws`, { kind: 'invoke', id: 1, channel: 'app:info', request: {} })).rejects.toThrow(/401/);
    await expect(
      invokeOverSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { kind: 'invoke', id: 1, channel: 'app:info', request: {} }, { origin: 'http://evil.example' }),
    ).rejects.toThrow(/401/);
  });
});
