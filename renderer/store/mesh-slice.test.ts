import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryApi } from '../../test/support/renderer/memory-api.js';
import { clusterStatus, meshNode, meshPatch, meshSnapshot } from '../../test/support/renderer/mesh.js';
import { useMeshStore } from './mesh-slice.js';
import { useStatusStore } from './status-slice.js';

const api = new MemoryApi();
const mesh = () => useMeshStore.getState();
const cells = () => Array.from(mesh().view?.cells ?? []);

describe('mesh slice', () => {
  beforeAll(() => api.install());
  beforeEach(() => {
    useMeshStore.setState({ view: null, error: null, resyncs: 0, seen: -1, pair: null, peeks: {} });
    mesh().applySnapshot(meshSnapshot('prod', 10, ['a', 'b']));
    api.calls.length = 0;
  });

  it('holds a snapshot with its nodes indexed and cells packed', () => {
    expect(mesh().view).toMatchObject({ version: 10, cluster: 'prod', clusterHealth: 0 });
    expect(mesh().view?.index).toEqual(
      new Map([
        ['a', 0],
        ['b', 1],
      ]),
    );
    expect(cells()).toEqual([3, 2, 2, 3]);
    expect(mesh().seen).toBe(10);
  });

  it('applies the next patch: changed cells, changed nodes, the health and time', () => {
    const before = mesh().view;
    mesh().applyPatch(meshPatch(11, [[1, 1]], [meshNode('b', { health: 40, agentReachable: false, via: null })], 55));
    expect(cells()).toEqual([3, 1, 2, 3]);
    expect(mesh().view?.nodes.map((n) => [n.name, n.health, n.via])).toEqual([
      ['a', 100, 'direct'],
      ['b', 40, null],
    ]);
    expect(mesh().view).toMatchObject({ version: 11, clusterHealth: 55, updatedAt: '2026-01-01T00:01:01Z' });
    expect(mesh().seen).toBe(11);
    expect(Array.from(before?.cells ?? [])).toEqual([3, 2, 2, 3]);
    expect(api.count('mesh:get')).toBe(0);
  });

  it('ignores a patch it already has', () => {
    mesh().applyPatch(meshPatch(11, [[1, 1]]));
    mesh().applyPatch(meshPatch(11, [[1, 2]]));
    mesh().applyPatch(meshPatch(9, [[2, 1]]));
    expect(cells()).toEqual([3, 1, 2, 3]);
    expect(mesh().resyncs).toBe(0);
  });

  it('fetches the whole view on a gap in versions, and takes the fetched one', async () => {
    api.answer('mesh:get', () => ({ ok: true, value: { ...meshSnapshot('prod', 13, ['a', 'b', 'c']), clusterHealth: 70 } }));
    mesh().applyPatch(meshPatch(12, [[1, 1]]));
    expect(mesh().resyncs).toBe(1);
    await expect.poll(() => mesh().view?.version).toBe(13);
    expect(mesh().view?.nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    expect(api.count('mesh:get')).toBe(1);
  });

  it('fetches the whole view when a patch names a node it does not hold, or comes before any view', async () => {
    api.answer('mesh:get', () => ({ ok: true, value: meshSnapshot('prod', 11, ['a', 'b', 'new']) }));
    mesh().applyPatch(meshPatch(11, [], [meshNode('new')]));
    await expect.poll(() => mesh().view?.nodes.length).toBe(3);
    useMeshStore.setState({ view: null });
    mesh().applyPatch(meshPatch(12, [[0, 1]]));
    expect(mesh().resyncs).toBe(2);
    expect(api.count('mesh:get')).toBe(2);
  });

  it('drops a fetched view older than a version already taken', async () => {
    let answer: (value: ReturnType<typeof meshSnapshot>) => void = () => undefined;
    api.answer('mesh:get', () => new Promise((resolve) => (answer = (value) => resolve({ ok: true, value }))));
    const loading = mesh().load();
    mesh().applyPatch(meshPatch(11, [[1, 1]]));
    answer(meshSnapshot('prod', 10, ['a']));
    await loading;
    expect(mesh().view?.version).toBe(11);
    expect(cells()).toEqual([3, 1, 2, 3]);
  });

  it('keeps the error of a failed fetch', async () => {
    api.answer('mesh:get', () => ({ ok: false, error: { code: 'NO_CLUSTER', message: 'no cluster selected', hint: 'create one' } }));
    await mesh().load();
    expect(mesh().error?.code).toBe('NO_CLUSTER');
    expect(mesh().view?.version).toBe(10);
  });

  it('forgets what other slices hold when a snapshot of another cluster arrives', async () => {
    api.answer('mesh:get', () => ({ ok: true, value: meshSnapshot('staging', 20, ['s1']) }));
    useStatusStore.setState({ status: clusterStatus('prod') });
    mesh().applySnapshot(meshSnapshot('staging', 20, ['s1']));
    expect(useStatusStore.getState().status).toBeNull();
    expect(mesh().view?.cluster).toBe('staging');
    await expect.poll(() => api.count('mesh:get')).toBe(1);
  });
});
