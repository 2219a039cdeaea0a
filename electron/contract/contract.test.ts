import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHandlers, type Handlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';
import { createServices } from '../services/index.js';
import { eventChannels, invokeChannels, type InvokeChannel, type RequestOf, type ResponseOf, type SpanwiseApi } from './index.js';

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

  it('answers app:info through the dispatcher', async () => {
    const result = await dispatch(handlers, 'app:info', {});
    expect(result).toMatchObject({ ok: true, value: { mode: 'web', dataDir } });
  });
});
