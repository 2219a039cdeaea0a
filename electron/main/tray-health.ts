import { pairCodes, type MeshNode } from '../contract/mesh.js';
import type { Events } from '../contract/events.js';

/** What the tray shows after a mesh event: its health line, and the pairs that went down in this change. */
export interface TrayView {
  health: string;
  newlyDown: string[];
}

/** Follows the mesh events the renderer gets and turns them into the tray's health line. */
export class TrayHealth {
  private nodes: MeshNode[] = [];
  private cluster: string | null = null;
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

  private line(clusterHealth: number): string {
    this.health = this.cluster === null ? 'No cluster selected' : `${this.cluster}: cluster health ${Math.round(clusterHealth)}%`;
    return this.health;
  }
}
