import { Menu, Notification, Tray, nativeImage } from 'electron';
import type { Events } from '../contract/events.js';
import type { EventBus } from '../services/events.js';
import { TrayHealth } from './tray-health.js';

/** What the tray's menu items do. */
export interface TrayActions {
  show(): void;
  quit(): void;
}

/**
 * The tray icon: a menu (Show Spanwise, the cluster's health, Quit), a click
 * that shows the window, and a notification when a pair goes down. Fed by the
 * same mesh and health events the renderer gets. Returns a function that removes it.
 */
export function startTray(events: EventBus, iconPath: string, actions: TrayActions): () => void {
  const icon = nativeImage.createFromPath(iconPath);
  if (icon.isEmpty()) console.warn(`spanwise: tray icon ${iconPath} could not be read`);
  const tray = new Tray(icon.resize({ width: 18, height: 18 }));
  const health = new TrayHealth();
  const setMenu = () => {
    tray.setToolTip(`Spanwise: ${health.health}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Spanwise', click: actions.show },
        { label: health.health, enabled: false },
        { type: 'separator' },
        { label: 'Quit Spanwise', click: actions.quit },
      ]),
    );
  };
  setMenu();
  tray.on('click', actions.show);
  const unsubscribe = events.subscribe((event, payload) => {
    const before = health.health;
    const view =
      event === 'mesh:snapshot'
        ? health.snapshot(payload as Events['mesh:snapshot'])
        : event === 'mesh:patch'
          ? health.patch(payload as Events['mesh:patch'])
          : event === 'health:changed'
            ? health.model(payload as Events['health:changed'])
            : null;
    if (!view) return;
    if (view.health !== before) setMenu();
    if (view.newlyDown.length && Notification.isSupported()) {
      const title = view.newlyDown.length === 1 ? `Pair down: ${view.newlyDown[0]}` : `${view.newlyDown.length} pairs down`;
      new Notification({ title, body: view.newlyDown.slice(0, 5).join('\n') }).show();
    }
  });
  return () => {
    unsubscribe();
    tray.destroy();
  };
}
