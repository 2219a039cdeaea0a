import { z } from 'zod';
import type { EmbeddedDiscoveryStatus } from './clusters.js';

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
  /** How secrets are sealed at rest in this data dir; fixed when the data dir is first opened. */
  secrets: SecretsInfo;
  /** The discovery service this backend runs for the current cluster, or null when its placement is not `embedded`. */
  discovery: EmbeddedDiscoveryStatus | null;
}

/** Which box seals a data dir's secrets: the OS keychain (the app's safeStorage) or a 0600 key file in the data dir. */
export type SecretBoxKind = 'keychain' | 'keyfile';

/** The box sealing this data dir's secrets, and why it was chosen (for the About screen). */
export interface SecretsInfo {
  box: SecretBoxKind;
  /** One sentence for people, e.g. that no keyring protects secrets on this desktop. */
  reason: string;
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
