import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { DiagnosisReport } from '../../contract/diagnosis.js';
import type { Events } from '../../contract/events.js';
import type { ClusterHealth } from '../../contract/health.js';
import type { MeshSnapshot } from '../../contract/mesh.js';
import { withCauses } from '../diagnosis/causes.js';
import type { EventBus } from '../events.js';
import { healthOf, type HealthInput } from './health-model.js';

/** What the health service reads: the mesh view, the last diagnosis and the MTU settings of the current cluster. */
export interface HealthDeps {
  events: EventBus;
  /** The current mesh view (starting the watch if needed). */
  mesh: () => MeshSnapshot;
  /** The current cluster's last diagnosis; throws NO_CLUSTER when none is selected. */
  lastReport: () => DiagnosisReport | null;
  /** The current cluster's mesh MTU and its nodes' link MTUs; throws NO_CLUSTER when none is selected. */
  mtu: () => HealthInput['mtu'];
}

type View = Pick<MeshSnapshot, 'cluster' | 'version' | 'nodes' | 'cells' | 'relays'>;

const noCluster: MeshSnapshot = { version: 0, cluster: null, nodes: [], cells: [], clusterHealth: 0, updatedAt: new Date(0).toISOString() };

const orNull = <T>(read: () => T): T | null => {
  try {
    return read();
  } catch (error) {
    if (error instanceof SpanwiseError && error.code === 'NO_CLUSTER') return null;
    throw error;
  }
};

/**
 * The one health model, kept current: it follows the mesh events and the
 * diagnosis reports on the event bus, and pushes `health:changed` whenever
 * what it says changes.
 */
export class HealthService {
  private view: View | null = null;
  private report: DiagnosisReport | null = null;
  private sent = '';
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: HealthDeps) {
    this.unsubscribe = deps.events.subscribe((event, payload) => this.follow(event, payload));
  }

  /** The model now: over `snapshot` when given (a fresh read of the watch), else over the view the events brought. */
  health(snapshot?: MeshSnapshot): ClusterHealth {
    if (snapshot || !this.view || this.view.cluster === null) this.take(snapshot ?? orNull(this.deps.mesh) ?? noCluster);
    return this.build();
  }

  dispose(): void {
    this.unsubscribe();
  }

  private follow(event: keyof Events, payload: unknown): void {
    if (event === 'mesh:snapshot') {
      const snapshot = payload as Events['mesh:snapshot'];
      // Versions never go back within a cluster: an older snapshot is one the view has moved past.
      if (this.view?.cluster === snapshot.cluster && snapshot.version < this.view.version) return;
      this.take(snapshot);
    } else if (event === 'mesh:patch' && this.view) {
      const patch = payload as Events['mesh:patch'];
      if (patch.version <= this.view.version) return;
      const cells = this.view.cells.slice();
      for (const [index, code] of patch.cells) cells[index] = code;
      const byName = new Map(patch.nodes.map((n) => [n.name, n]));
      const nodes = this.view.nodes.map((n) => byName.get(n.name) ?? n);
      this.view = { ...this.view, version: patch.version, cells, nodes, relays: patch.relays ?? this.view.relays };
    } else if (event === 'diagnosis:report') this.report = withCauses(payload as Events['diagnosis:report']);
    else return;
    this.publish();
  }

  private take(snapshot: MeshSnapshot): void {
    const switched = !this.view || this.view.cluster !== snapshot.cluster;
    this.view = { cluster: snapshot.cluster, version: snapshot.version, nodes: snapshot.nodes, cells: snapshot.cells, relays: snapshot.relays };
    if (switched) this.report = snapshot.cluster === null ? null : orNull(this.deps.lastReport);
  }

  private build(): ClusterHealth {
    const view = this.view as View;
    return healthOf({
      cluster: view.cluster,
      meshVersion: view.version,
      nodes: view.nodes,
      cells: view.cells,
      ...(view.relays ? { relays: view.relays } : {}),
      report: this.report,
      mtu: view.cluster === null ? null : orNull(this.deps.mtu),
    });
  }

  private publish(): void {
    if (!this.view) return;
    const health = this.build();
    const key = JSON.stringify({ ...health, meshVersion: 0 });
    if (key === this.sent) return;
    this.sent = key;
    this.deps.events.emit('health:changed', health);
  }
}
