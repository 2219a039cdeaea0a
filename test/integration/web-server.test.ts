import { mkdtempSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
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
      await expect(startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir, host })).rejects.toMatchObject({
        code: 'WEB_HOST_NOT_LOOPBACK',
      });
    }
    const v6 = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir, host: '::1' });
    try {
      expect(v6.url).toBe(`http://[::1]:${v6.port}/?token=${v6.token}`);
      expect((await fetch(v6.url, { redirect: 'manual' })).status).toBe(303);
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

  it('trades the token in the URL for a cookie and drops it from the address, then serves by cookie', async () => {
    const first = await fetch(server.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^spanwise_token=/);
    expect(first.headers.get('set-cookie')).toContain('HttpOnly');
    const second = await fetch(`${base}/index.html`, { headers: { cookie } });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('<title>Spanwise</title>');
    expect(second.headers.get('content-security-policy')).toContain("connect-src 'self';");
  });

  it('refuses a page of another name that resolves to loopback (DNS rebinding), over HTTP and WebSocket', async () => {
    const cookie = `spanwise_token=${server.token}`;
    const rebound = await new Promise<number>((resolve, reject) => {
      const request = httpGet(
        { host: '127.0.0.1', port: server.port, path: '/index.html', headers: { host: `evil.example:${server.port}`, cookie } },
        (response) => resolve(response.statusCode ?? 0),
      );
      request.on('error', reject);
    });
    expect(rebound).toBe(421);
    expect((await fetch(`http://localhost:${server.port}/index.html`, { headers: { cookie } })).status).toBe(200);
    await expect(
      invokeOverSocket(
        `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
        { kind: 'invoke', id: 1, channel: 'app:info', request: {} },
        { host: `evil.example:${server.port}` },
      ),
    ).rejects.toThrow(/401/);
  });

  it('cuts off a client that does not read its events, and keeps serving the others', async () => {
    const stalled = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((resolve) => stalled.on('open', resolve));
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    const text = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 2000 && stalled.readyState === stalled.OPEN; i += 1) {
      services.events.emit('app:notice', { level: 'info', text });
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    (stalled as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    const reply = await invokeOverSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { kind: 'invoke', id: 9, channel: 'app:info', request: {} });
    expect(reply).toMatchObject({ kind: 'result', id: 9 });
  });

  it('does not serve files outside the renderer dir', async () => {
    const response = await fetch(`${base}/..%2fspanwise-secret-outside.txt`, { headers: { cookie: `spanwise_token=${server.token}` } });
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
      invokeOverSocket(
        `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
        { kind: 'invoke', id: 1, channel: 'app:info', request: {} },
        { origin: 'http://evil.example' },
      ),
    ).rejects.toThrow(/401/);
  });
});
