import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the onboarding domain. */
export function onboardingHandlers({ onboarding, removal, agentLogs }: Services): Pick<Handlers, 'node:onboard' | 'node:cancel' | 'node:remove' | 'node:logs'> {
  return {
    'node:onboard': async ({ names, concurrency, hostKeys }) => onboarding.onboard(names, { concurrency, hostKeys }),
    'node:cancel': async ({ name }) => ({ cancelled: onboarding.cancel(name) }),
    'node:remove': async ({ name, force }) => removal.remove(name, force),
    'node:logs': async ({ name, lines }) => ({ lines: await agentLogs.tail(name, lines) }),
  };
}
