import { Notification, Tray, nativeImage, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pairCodes, type MeshNode } from '../contract/mesh.js';
import type { EventBus } from '../services/events.js';

/**
 * The tray icon shows the cluster's health; a native notification says when a
 * pair goes down. Fed by the same mesh events the renderer gets.
 */
export function startTray(events: EventBus, iconPath: string, window: BrowserWindow): () => void {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 18, height: 18 }));
  tray.setToolTip('Spanwise: no cluster data yet');
  tray.on('click', () => (window.isVisible() ? window.focus() : window.show()));
  let nodes: MeshNode[] = [];
  const unsubscribe = events.subscribe((event, payload) => {
    if (event === 'mesh:snapshot' || event === 'mesh:patch') {
      const view = payload as { nodes: MeshNode[]; clusterHealth: number; cells: unknown };
      if (event === 'mesh:snapshot') nodes = view.nodes;
      else for (const node of view.nodes) nodes = nodes.map((n) => (n.name === node.name ? node : n));
      tray.setToolTip(`Spanwise: cluster health ${Math.round(view.clusterHealth)}%`);
    }
    if (event === 'mesh:patch') {
      const cells = (payload as { cells: Array<[number, number]> }).cells;
      const down = cells.filter(([, code]) => code === pairCodes.down).map(([index]) => `${nodes[Math.floor(index / nodes.length)]?.name ?? '?'} → ${nodes[index % nodes.length]?.name ?? '?'}`);
      if (down.length && Notification.isSupported()) {
        new Notification({ title: down.length === 1 ? `Pair down: ${down[0]}` : `${down.length} pairs down`, body: down.slice(0, 5).join('\n') }).show();
      }
    }
  });
  return () => {
    unsubscribe();
    tray.destroy();
  };
}

/** The app icon shipped in build/. */
export const trayIconPath = (root: string) => join(root, 'build/icon.png');
