import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import WebSocket from 'ws';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { createHandlers, type Handlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';
import { createServices } from '../services/index.js';
import { startWebServer } from '../web/server.js';
import {
  errorEnvelopeSchema,
  eventChannels,
  invokeChannels,
  type ErrorEnvelope,
  type InvokeChannel,
  type RequestOf,
  type ResponseOf,
  type SpanwiseApi,
  type WireFrame,
} from './index.js';

const FINGERPRINT = 'SHA256:' + 'A'.repeat(43);
const hostKeyError = () =>
  new SpanwiseError('HOST_KEY_UNKNOWN', 'the host key of 10.0.0.5:22 (via bastion:22) is not trusted yet', 'confirm it', {
    fingerprint: FINGERPRINT,
    address: '10.0.0.5:22',
    via: 'bastion:22',
  });

/** One invoke over the web mode's WebSocket, as the renderer's transport sends it. */
function invokeOverSocket(port: number, token: string, channel: InvokeChannel): Promise<WireFrame> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
    ws.on('open', () => ws.send(JSON.stringify({ kind: 'invoke', id: 1, channel, request: {} } satisfies WireFrame)));
    ws.on('message', (data) => (resolve(JSON.parse(String(data)) as WireFrame), ws.close()));
    ws.on('error', reject);
  });
}

describe('UI contract', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-contract-')), 'data');
  const handlers = createHandlers(createServices({ mode: 'web', dataDir }));

  it('has a handler for every invoke channel and no other', () => {
    expect(Object.keys(handlers).sort()).toEqual([...invokeChannels].sort());
    expectTypeOf<keyof Handlers>().toEqualTypeOf<InvokeChannel>();
  });

  it('names every channel domain:verb', () => {
    for (const channel of [...invokeChannels, ...eventChannels]) expect(channel).toMatch(/^[a-z]+:[a-z][a-zA-Z]*$/);
  });

  it('types the caller from the contract', () => {
    expectTypeOf<SpanwiseApi['invoke']>().parameter(0).toEqualTypeOf<InvokeChannel>();
    expectTypeOf<ResponseOf<'app:info'>>().toHaveProperty('version');
    const call = (api: SpanwiseApi) => {
      void api.invoke('app:info', {});
      // @ts-expect-error unknown channels do not type-check
      void api.invoke('app:nothing', {});
      // @ts-expect-error requests are typed per channel
      void api.invoke('app:info', { unexpected: 1 } satisfies RequestOf<'app:info'>);
    };
    expect(typeof call).toBe('function');
  });

  it('refuses unknown channels and invalid requests with an envelope naming the field', async () => {
    const unknown = await dispatch(handlers, 'app:nothing', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const invalid = await dispatch(handlers, 'app:info', { extra: true });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.error.code).toBe('INVALID_REQUEST');
      expect(invalid.error.message).toContain('extra');
      expect(invalid.error.hint).toBeTruthy();
    }
  });

  it('carries the details of a thrown SpanwiseError through dispatch, IPC cloning and JSON unchanged', async () => {
    const throwing = { ...handlers, 'app:info': () => Promise.reject(hostKeyError()) } as Handlers;
    const result = await dispatch(throwing, 'app:info', {});
    const expected = {
      ok: false,
      error: {
        code: 'HOST_KEY_UNKNOWN',
        message: hostKeyError().message,
        hint: 'confirm it',
        details: { fingerprint: FINGERPRINT, address: '10.0.0.5:22', via: 'bastion:22' },
      },
    };
    expect(result).toEqual(expected);
    expect(structuredClone(result)).toEqual(expected);
    expect(JSON.parse(JSON.stringify(result))).toEqual(expected);
  });

  it('carries details over the web mode WebSocket', async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'spanwise-contract-ui-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Spanwise</title>');
    const services = createServices({ mode: 'web', dataDir: join(rendererDir, 'data') });
    const throwing = { ...createHandlers(services), 'app:info': () => Promise.reject(hostKeyError()) } as Handlers;
    const server = await startWebServer({ handlers: throwing, events: services.events, rendererDir });
    try {
      const frame = await invokeOverSocket(server.port, server.token, 'app:info');
      expect(frame).toEqual({ kind: 'result', id: 1, result: { ok: false, error: hostKeyError().toEnvelope() } });
    } finally {
      await server.close();
    }
  });

  it('bounds details, and leaves out details that do not fit the envelope schema', async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, 'x'.repeat(2000)]));
    const bounded = new SpanwiseError('BIG', 'big', undefined, { ...many, 'not a name': 1, nan: Number.NaN });
    expect(Object.keys(bounded.details ?? {})).toHaveLength(16);
    expect(Object.values(bounded.details ?? {}).every((v) => v === 'x'.repeat(512))).toBe(true);
    expect(errorEnvelopeSchema.safeParse(bounded.toEnvelope()).success).toBe(true);
    const forged = Object.assign(new SpanwiseError('FORGED', 'forged', 'fix it'), { details: { nested: { secret: 'x' } } });
    const result = await dispatch({ ...handlers, 'app:info': () => Promise.reject(forged) } as Handlers, 'app:info', {});
    expect(result).toEqual({ ok: false, error: { code: 'FORGED', message: 'forged', hint: 'fix it' } });
    expectTypeOf<ErrorEnvelope['details']>().toEqualTypeOf<Readonly<Record<string, string | number | boolean>> | undefined>();
  });

  it('answers app:info through the dispatcher', async () => {
    const result = await dispatch(handlers, 'app:info', {});
    expect(result).toMatchObject({ ok: true, value: { mode: 'web', dataDir } });
  });
});
