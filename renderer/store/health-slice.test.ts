import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterHealth, InvokeResult } from '../../electron/contract/index.js';
import { MemoryApi } from '../../test/support/renderer/memory-api.js';
import { meshSnapshot } from '../../test/support/renderer/mesh.js';
import { useHealthStore } from './health-slice.js';
import { useMeshStore } from './mesh-slice.js';

const api = new MemoryApi();
/** A model told apart by its score alone (the slice keeps it whole, it reads nothing in it). */
const model = (score: number) => ({ cluster: 'prod', score }) as unknown as ClusterHealth;

describe('health slice', () => {
  beforeAll(() => {
    api.install();
    useMeshStore.getState().applySnapshot(meshSnapshot('prod', 1, ['a', 'b']));
  });

  it('keeps what health:get returns', async () => {
    api.answer('health:get', () => ({ ok: true, value: model(40) }));
    await useHealthStore.getState().load();
    expect(useHealthStore.getState().health?.score).toBe(40);
  });

  it('keeps a pushed model over a health:get answer that the push overtook', async () => {
    let reply: (result: InvokeResult<ClusterHealth>) => void = () => undefined;
    api.answer('health:get', () => new Promise((resolve) => (reply = resolve)));
    const loading = useHealthStore.getState().load();
    useHealthStore.getState().apply(model(58));
    reply({ ok: true, value: model(0) });
    await loading;
    expect(useHealthStore.getState().health?.score).toBe(58);
  });
});
