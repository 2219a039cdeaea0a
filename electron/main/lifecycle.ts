import { app } from 'electron';

/** What the lifecycle does to the rest of the app. */
export interface LifecycleActions {
  /** Brings the window to the front, opening it again if it was closed. */
  show(): void;
  /** Stops the tray, the update checks and the services; called once, when the app quits, and awaited. */
  stop(): Promise<void>;
}

/**
 * How the app lives and ends. One instance per user: a second launch quits at
 * once and the first shows its window. Closing the window on macOS leaves the
 * app running in the dock and the tray (the dock icon or the tray's Show opens
 * it again); on Linux and Windows it quits the app. Quitting from the menu, the
 * tray or the last window stops everything once, and waits for the services
 * (the embedded discovery's last snapshot) before the process ends.
 */
export function wireLifecycle(actions: LifecycleActions): void {
  app.on('second-instance', actions.show);
  app.on('activate', actions.show);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    stopped = true;
    event.preventDefault();
    void actions.stop().finally(() => app.quit());
  });
}
