import { z } from 'zod';

/** How the UI is being served: inside Electron, or as the web UI on localhost. */
export type AppMode = 'electron' | 'web';

/** Facts about the running backend, shown in the UI's status bar and About box. */
export interface AppInfo {
  version: string;
  mode: AppMode;
  /** Where the backend keeps its inventory and secrets. */
  dataDir: string;
  /** The agent bundle pushed to hosts, or null when it has not been built (`npm run build`). */
  agentBundle: { path: string; sha256: string; bytes: number } | null;
}

/** A short message for the user from the backend (e.g. a service that failed to start). */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** Requests of the app domain. */
export const appRequests = {
  'app:info': z.object({}).strict(),
};
