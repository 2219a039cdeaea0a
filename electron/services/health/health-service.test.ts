import { describe, expect, it } from 'vitest';
import type { ClusterHealth } from '../../contract/health.js';
import type { MeshSnapshot } from '../../contract/mesh.js';
import { pairCodes } from '../../contract/mesh.js';
import { EventBus } from '../events.js';
import { HealthService } from './health-service.js';

const node = (name: string) => ({
  name,
  site: 'cloud' as const,
  role: 'worker' as const,
  health: 0,
  agentReachable: true,
  via: null,
  address: null,
  agentVersion: null,
  managed: true,
});
const snapshot = (cells: number[], version = 1): MeshSnapshot => ({
  version,
  cluster: 'c',
  nodes: [node('a'), node('b')],
  cells: cells as MeshSnapshot['cells'],
  clusterHealth: 0,
  updatedAt: '2026-12-01T10:00:00.000Z',
});

describe('the health service', () => {
  it("keeps its view when an older snapshot of the same cluster arrives, and takes another cluster's at once", () => {
    const events = new EventBus();
    const health = new HealthService({ events, mesh: () => snapshot([3, 0, 0, 3], 0), lastReport: () => null, mtu: () => null });
    events.emit('mesh:snapshot', snapshot([pairCodes.self, pairCodes.up, pairCodes.up, pairCodes.self], 9));
    events.emit('mesh:snapshot', snapshot([pairCodes.self, pairCodes.down, pairCodes.down, pairCodes.self], 4));
    expect(health.health()).toMatchObject({ meshVersion: 9, score: 100 });
    events.emit('mesh:snapshot', { ...snapshot([pairCodes.self, pairCodes.down, pairCodes.down, pairCodes.self], 1), cluster: 'other' });
    expect(health.health()).toMatchObject({ meshVersion: 1, score: 0 });
  });

  it('follows mesh snapshots, patches (with their relays) and reports on the bus, and pushes health:changed only when what it says changes', () => {
    const events = new EventBus();
    const pushed: ClusterHealth[] = [];
    events.subscribe((event, payload) => event === 'health:changed' && pushed.push(payload as ClusterHealth));
    const health = new HealthService({ events, mesh: () => snapshot([3, 0, 0, 3], 0), lastReport: () => null, mtu: () => null });
    events.emit('mesh:snapshot', snapshot([pairCodes.self, pairCodes.up, pairCodes.down, pairCodes.self]));
    expect(pushed.map((h) => [h.verdict, h.score])).toEqual([['down', 50]]);
    events.emit('mesh:patch', { version: 2, cells: [[2, pairCodes.up]], nodes: [], clusterHealth: 100, updatedAt: '2026-12-01T10:00:01.000Z' });
    events.emit('mesh:patch', { version: 3, cells: [[2, pairCodes.up]], nodes: [], clusterHealth: 100, updatedAt: '2026-12-01T10:00:02.000Z' });
    expect(pushed.map((h) => [h.verdict, h.score])).toEqual([
      ['down', 50],
      ['healthy', 100],
    ]);
    events.emit('diagnosis:report', {
      generatedAt: '2026-12-01T10:00:03.000Z',
      durationMs: 1,
      findings: [],
      causes: [],
      matrix: { udp51820: { a: { b: 'blocked' }, b: { a: 'open' } }, tcp50000: {} },
    });
    expect(pushed.at(-1)?.fragile).toEqual([
      { from: 'a', to: 'b', reasons: ['ONE_WAY_INBOUND'], causes: [] },
      { from: 'b', to: 'a', reasons: ['ONE_WAY_INBOUND'], causes: [] },
    ]);
    events.emit('mesh:patch', {
      version: 4,
      cells: [
        [1, pairCodes.relayed],
        [2, pairCodes.relayed],
      ],
      relays: [
        [1, 'c'],
        [2, 'c'],
      ],
      nodes: [],
      clusterHealth: 100,
      updatedAt: '2026-12-01T10:00:04.000Z',
    });
    expect([pushed.at(-1)?.verdict, pushed.at(-1)?.fragile, pushed.at(-1)?.relayed.map((p) => `${p.from}>${p.to} via ${p.via}`)]).toEqual([
      'healthy',
      [],
      ['a>b via c', 'b>a via c'],
    ]);
    events.emit('mesh:patch', { version: 5, cells: [[1, pairCodes.down]], nodes: [], clusterHealth: 50, updatedAt: '2026-12-01T10:00:05.000Z' });
    expect(pushed.at(-1)?.relayed.map((p) => p.via)).toEqual(['c']);
    events.emit('mesh:patch', {
      version: 6,
      cells: [
        [1, pairCodes.up],
        [2, pairCodes.up],
      ],
      relays: [],
      nodes: [],
      clusterHealth: 100,
      updatedAt: '2026-12-01T10:00:06.000Z',
    });
    expect(pushed.at(-1)?.relayed).toEqual([]);
    expect(health.health().score).toBe(50);
    expect(health.health(snapshot([3, 0, 0, 3], 9)).verdict).toBe('unknown');
    health.dispose();
  });
});
