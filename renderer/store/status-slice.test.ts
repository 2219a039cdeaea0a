import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus, InvokeResult } from '../../electron/contract/index.js';
import { MemoryApi } from '../../test/support/renderer/memory-api.js';
import { clusterStatus, meshNode, meshPatch, meshSnapshot } from '../../test/support/renderer/mesh.js';
import { useMeshStore } from './mesh-slice.js';
import { useStatusStore } from './status-slice.js';
import { subscribeBackendEvents } from './subscriptions.js';

const api = new MemoryApi();
const status = (cluster: string): ClusterStatus => clusterStatus(cluster);

describe('status slice and backend events', () => {
  beforeAll(() => {
    api.install();
    useMeshStore.getState().applySnapshot(meshSnapshot('prod', 1, ['a', 'b']));
  });

  it('keeps what status:get returns, and its error', async () => {
    api.answer('status:get', () => ({ ok: true, value: status('prod') }));
    await useStatusStore.getState().load();
    expect(useStatusStore.getState()).toMatchObject({ status: status('prod'), error: null, loading: false });
    api.answer('status:get', () => ({ ok: false, error: { code: 'AGENT_UNREACHABLE', message: 'a: refused' } }));
    await useStatusStore.getState().load();
    expect(useStatusStore.getState()).toMatchObject({ status: status('prod'), error: { code: 'AGENT_UNREACHABLE' }, loading: false });
  });

  it('drops an answer about the cluster it has left, and asks again for the new one', async () => {
    let reply: (result: InvokeResult<ClusterStatus>) => void = () => undefined;
    api.answer('status:get', () => new Promise((resolve) => (reply = resolve)));
    api.answer('mesh:get', () => ({ ok: true, value: meshSnapshot('staging', 5, ['s1']) }));
    const loading = useStatusStore.getState().load();
    const first = reply;
    useMeshStore.getState().applySnapshot(meshSnapshot('staging', 5, ['s1']));
    first({ ok: true, value: status('prod') });
    await loading;
    expect(useStatusStore.getState().status).toBeNull();
    await expect.poll(() => api.count('status:get')).toBe(4);
    reply({ ok: true, value: status('staging') });
    await expect.poll(() => useStatusStore.getState().status?.cluster.name).toBe('staging');
  });

  it('routes mesh events into the mesh slice, and reloads machines and status when the node set changes', async () => {
    api.answer('machine:list', () => ({ ok: true, value: [] }));
    api.answer('status:get', () => ({ ok: true, value: status('staging') }));
    const stop = subscribeBackendEvents();
    try {
      api.emit('mesh:patch', meshPatch(6, [[0, 3]], [meshNode('s1', { health: 10 })]));
      expect(useMeshStore.getState().view).toMatchObject({ version: 6, nodes: [{ name: 's1', health: 10 }] });
      expect(api.count('machine:list')).toBe(0);
      const statusCalls = api.count('status:get');
      api.emit('mesh:snapshot', meshSnapshot('staging', 7, ['s1', 's2']));
      expect(useMeshStore.getState().view?.nodes.map((n) => n.name)).toEqual(['s1', 's2']);
      expect(api.count('machine:list')).toBe(1);
      expect(api.count('status:get')).toBe(statusCalls + 1);
    } finally {
      stop();
    }
    api.emit('mesh:patch', meshPatch(8, [[1, 1]]));
    expect(useMeshStore.getState().view?.version).toBe(7);
  });
});
