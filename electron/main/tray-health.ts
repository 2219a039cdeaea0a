import { pairCodes, type MeshNode } from '../contract/mesh.js';
import type { Events } from '../contract/events.js';
import type { ClusterHealth } from '../contract/health.js';

/** What the tray shows after a mesh event: its health line, and the pairs that went down in this change. */
export interface TrayView {
  health: string;
  newlyDown: string[];
}

/**
 * Follows the events the renderer gets: the health line comes from the health
 * model (`health:changed`, the score every screen shows) once there is one, from
 * the mesh view before; mesh patches name the pairs that went down.
 */
export class TrayHealth {
  private nodes: MeshNode[] = [];
  private cluster: string | null = null;
  private modelled = false;
  health = 'Cluster health: no data yet';

  snapshot(view: Events['mesh:snapshot']): TrayView {
    this.nodes = view.nodes;
    this.cluster = view.cluster;
    return { health: this.line(view.clusterHealth), newlyDown: [] };
  }

  patch(view: Events['mesh:patch']): TrayView {
    for (const node of view.nodes) this.nodes = this.nodes.map((n) => (n.name === node.name ? node : n));
    const count = this.nodes.length;
    const newlyDown =
      count === 0
        ? []
        : view.cells
            .filter(([, code]) => code === pairCodes.down)
            .map(([index]) => `${this.nodes[Math.floor(index / count)]?.name ?? '?'} → ${this.nodes[index % count]?.name ?? '?'}`);
    return { health: this.line(view.clusterHealth), newlyDown };
  }

  /** The health model's line: its score, and how many pairs are fragile or down. */
  model(health: ClusterHealth): TrayView {
    this.modelled = health.cluster !== null;
    this.cluster = health.cluster;
    const { fragile, down } = health.pairs;
    const extra = down > 0 ? `, ${down} down` : fragile > 0 ? `, ${fragile} fragile` : '';
    this.health = health.cluster === null ? 'No cluster selected' : `${health.cluster}: cluster health ${health.score}%${extra}`;
    return { health: this.health, newlyDown: [] };
  }

  private line(clusterHealth: number): string {
    if (this.cluster === null) this.modelled = false;
    if (!this.modelled) this.health = this.cluster === null ? 'No cluster selected' : `${this.cluster}: cluster health ${Math.round(clusterHealth)}%`;
    return this.health;
  }
}
