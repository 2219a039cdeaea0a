import type { Services } from '../services/index.js';
import { appHandlers } from './app.js';
import { clusterHandlers } from './clusters.js';
import { diagnosisHandlers } from './diagnosis.js';
import { healthHandlers } from './health.js';
import { machineHandlers } from './machines.js';
import { meshHandlers } from './mesh.js';
import { onboardingHandlers } from './onboarding.js';
import { settingsHandlers } from './settings.js';
import { statusHandlers } from './status.js';
import type { Handlers } from './types.js';

export type { Handlers } from './types.js';

/** Every contract handler, one-liners over the services. */
export function createHandlers(services: Services): Handlers {
  return {
    ...appHandlers(services),
    ...clusterHandlers(services),
    ...machineHandlers(services),
    ...onboardingHandlers(services),
    ...statusHandlers(services),
    ...settingsHandlers(services),
    ...meshHandlers(services),
    ...diagnosisHandlers(services),
    ...healthHandlers(services),
  };
}
