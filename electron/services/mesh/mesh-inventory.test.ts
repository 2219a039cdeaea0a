import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MachineInput, MeshSnapshot } from '../../contract/index.js';
import { createServices, type Services } from '../index.js';

const machine = (name: string): MachineInput => ({
  name,
  ssh: { user: 'root', host: '127.0.0.1', port: 1 },
  auth: { useAgent: true },
  jump: [],
  site: 'cloud',
  role: 'worker',
  labels: {},
});

/** The real services on a temp data dir: the mesh follows what the cluster and machine services change. */
describe('the mesh service over the real inventory', () => {
  let dir: string;
  let services: Services;
  let snapshots: MeshSnapshot[];
  const names = () => snapshots.at(-1)?.nodes.map((n) => n.name);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-mesh-inventory-'));
    services = createServices({ mode: 'web', dataDir: join(dir, 'data') });
    snapshots = [];
    services.events.subscribe((event, payload) => void (event === 'mesh:snapshot' && snapshots.push(payload as MeshSnapshot)));
  });
  afterEach(async () => {
    await services.mesh.dispose();
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows machines added and deleted, cluster switches and deletes, without a restart', async () => {
    await services.clusters.create('one', { mode: 'node', port: 3000 });
    services.machines.add(machine('m1'));
    expect(services.mesh.snapshot().nodes.map((n) => n.name)).toEqual(['m1']);
    services.machines.add(machine('m2'));
    expect(names()).toEqual(['m1', 'm2']);
    services.machines.delete('m1');
    expect(names()).toEqual(['m2']);
    expect(services.mesh.snapshot()).toMatchObject({ cluster: 'one', nodes: [{ name: 'm2', agentReachable: false }] });

    await services.clusters.create('two', { mode: 'node', port: 3000 });
    expect(snapshots.at(-1)).toMatchObject({ cluster: 'two', nodes: [] });
    services.machines.add(machine('t1'));
    expect(names()).toEqual(['t1']);
    services.clusters.select('one');
    expect(snapshots.at(-1)?.cluster).toBe('one');
    expect(names()).toEqual(['m2']);
    services.clusters.delete('one');
    expect(snapshots.at(-1)?.cluster).toBe('two');
    expect(names()).toEqual(['t1']);
    const versions = snapshots.map((s) => s.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});
