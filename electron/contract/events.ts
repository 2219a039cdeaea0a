import type { Notice } from './app.js';
import type { DiagnosisReport } from './diagnosis.js';
import type { ClusterHealth } from './health.js';
import type { MeshPatch, MeshSnapshot } from './mesh.js';
import type { OnboardingProgress } from './onboarding.js';

/** Payload type of every event channel the backend pushes to the UI. */
export interface Events {
  'app:notice': Notice;
  'onboard:progress': OnboardingProgress;
  /** A full view (on subscribe, or when a patch would be larger). */
  'mesh:snapshot': MeshSnapshot;
  /** Changes since the previous version. */
  'mesh:patch': MeshPatch;
  'diagnosis:report': DiagnosisReport;
  /** The health model after a mesh change or a report changed what it says. */
  'health:changed': ClusterHealth;
  /** One line of a host fix being applied, as it happens (the result holds them all). */
  'fix:log': FixLogLine;
}

/** A line of the log of a host fix being applied. */
export interface FixLogLine {
  findingId: string;
  node: string;
  line: string;
}

export type EventChannel = keyof Events;

const eventChannelSet = {
  'app:notice': true,
  'onboard:progress': true,
  'mesh:snapshot': true,
  'mesh:patch': true,
  'diagnosis:report': true,
  'health:changed': true,
  'fix:log': true,
} satisfies Record<EventChannel, true>;

/** Every event channel name (no runtime dependencies: the preload imports it). */
export const eventChannels = Object.keys(eventChannelSet) as EventChannel[];
