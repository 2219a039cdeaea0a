import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie that carries the web UI's access token after the first visit. */
export const TOKEN_COOKIE = 'spanwise_token';

/** A fresh per-run access token (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** Where a request presented the token, or null when it did not present the right one. */
export function presentedToken(request: IncomingMessage, token: string): 'query' | 'cookie' | 'header' | null {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const query = url.searchParams.get('token');
  if (query && sameToken(query, token)) return 'query';
  const cookie = cookieToken(request);
  if (cookie && sameToken(cookie, token)) return 'cookie';
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && sameToken(header.slice(7), token)) return 'header';
  return null;
}
