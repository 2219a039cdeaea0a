import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the onboarding domain. */
export function onboardingHandlers({
  onboarding,
  removal,
  agentLogs,
  runHistory,
  clusters,
}: Services): Pick<Handlers, 'node:onboard' | 'node:cancel' | 'node:remove' | 'node:cleanup' | 'node:runs' | 'node:logs'> {
  return {
    'node:onboard': async ({ names, concurrency, hostKeys, install }) => onboarding.onboard(names, { concurrency, hostKeys, install }),
    'node:cancel': async ({ name }) => ({ cancelled: onboarding.cancel(name) }),
    'node:remove': async ({ name, force }) => removal.remove(name, force),
    'node:cleanup': async ({ name }) => removal.cleanup(name),
    'node:runs': async () => runHistory.latest(clusters.current().name),
    'node:logs': async ({ name, lines }) => ({ lines: await agentLogs.tail(name, lines) }),
  };
}
