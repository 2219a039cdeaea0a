import { describe, expect, it } from 'vitest';
import type { SpanwiseApi } from '../../electron/contract/index.js';
import { watchIpcApi } from './connection.js';

describe('the IPC API watched for a lost backend', () => {
  it('answers a rejected call with DISCONNECTED, tells the loss once, and tells it is back on the next answer', async () => {
    let failing = true;
    const ipc: SpanwiseApi = {
      invoke: (async () => {
        if (failing) throw new Error('reply was never sent');
        return { ok: true, value: { version: '1' } };
      }) as SpanwiseApi['invoke'],
      on: () => () => undefined,
    };
    const told: boolean[] = [];
    const api = watchIpcApi(ipc, (connected) => told.push(connected));
    const lost = await api.invoke('app:info', {});
    expect(lost).toMatchObject({ ok: false, error: { code: 'DISCONNECTED', message: 'the backend did not answer: reply was never sent' } });
    await api.invoke('app:info', {});
    expect(told).toEqual([false]);
    failing = false;
    expect(await api.invoke('app:info', {})).toEqual({ ok: true, value: { version: '1' } });
    expect(told).toEqual([false, true]);
  });
});
