import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WireFrame } from '../contract/index.js';
import type { Handlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';
import type { EventBus } from '../services/events.js';
import { newToken, presentedToken, TOKEN_COOKIE } from './auth.js';
import { readRendererFile } from './static.js';

/** What it takes to serve the UI over HTTP + WebSocket. */
export interface WebServerOptions {
  handlers: Handlers;
  events: EventBus;
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed token (tests); a fresh random one by default. */
  token?: string;
}

/** A running web UI. `url` carries the access token; nothing is served without it. */
export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const unauthorized = 'Unauthorized: open the URL that `spanwise web` printed; it carries the access token.\n';

function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === `http://${request.headers.host}`;
}

/** The Host headers a page on this server sends; any other name is a DNS-rebinding page. */
const ownHosts = (host: string, port: number) => new Set([`${isIP(host) === 6 ? `[${host}]` : host}:${port}`, `localhost:${port}`]);

/** How much of the event stream one client may leave unread before it is cut off (its page says so and asks for a reload). */
export const MAX_CLIENT_BACKLOG_BYTES = 16 * 2 ** 20;

/** Whether an address is on this machine only (127.0.0.0/8, ::1): the only addresses the plain-HTTP UI serves. */
export const isLoopbackAddress = (host: string): boolean => (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';

/** Serves the renderer and the contract on 127.0.0.1 (by default) behind a per-run token; loopback only. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newToken();
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) {
    throw new SpanwiseError(
      'WEB_HOST_NOT_LOOPBACK',
      `the web UI serves plain HTTP with its token in the URL, so it listens on loopback only, not ${host}`,
      'listen on 127.0.0.1 and reach it from another machine through SSH: ssh -L 8080:127.0.0.1:PORT this-host',
    );
  }

  let hosts = new Set<string>();
  const hostAllowed = (request: IncomingMessage) => hosts.has(request.headers.host ?? '');

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request)) {
      response
        .writeHead(421, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Misdirected request: this server answers only to its own loopback address.\n');
      return;
    }
    const via = presentedToken(request, token);
    if (!via) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end(unauthorized);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (via === 'query') {
      url.searchParams.delete('token');
      response
        .writeHead(303, {
          location: `${url.pathname}${url.search}`,
          'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          'cache-control': 'no-store',
        })
        .end();
      return;
    }
    const file = await readRendererFile(options.rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found. Run `npm run build` if the UI is missing.\n');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': file.type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    };
    response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer((request, response) => {
    serveHttp(request, response).catch(() => response.writeHead(500).end());
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws' || !hostAllowed(request) || !presentedToken(request, token) || !sameOrigin(request)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data) => {
        void answer(ws, String(data));
      });
    });
  });

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let frame: WireFrame;
    try {
      frame = JSON.parse(text) as WireFrame;
    } catch {
      return;
    }
    if (frame.kind !== 'invoke' || typeof frame.id !== 'number') return;
    const result = await dispatch(options.handlers, frame.channel, frame.request);
    const reply: WireFrame = { kind: 'result', id: frame.id, result };
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  }

  const unsubscribe = options.events.subscribe((event, payload) => {
    const frame = JSON.stringify({ kind: 'event', event, payload } satisfies WireFrame);
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_CLIENT_BACKLOG_BYTES) ws.terminate();
      else ws.send(frame);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = ownHosts(host, port);
  return {
    url: `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
