import type { Notice } from './app.js';
import type { OnboardingProgress } from './onboarding.js';

/** Payload type of every event channel the backend pushes to the UI. */
export interface Events {
  'app:notice': Notice;
  'onboard:progress': OnboardingProgress;
}

export type EventChannel = keyof Events;

const eventChannelSet = { 'app:notice': true, 'onboard:progress': true } satisfies Record<EventChannel, true>;

/** Every event channel name (no runtime dependencies: the preload imports it). */
export const eventChannels = Object.keys(eventChannelSet) as EventChannel[];
