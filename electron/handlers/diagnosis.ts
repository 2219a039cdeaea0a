import type { Services } from '../services/index.js';
import type { Handlers } from './types.js';

/** Handlers of the diagnosis domain. */
export function diagnosisHandlers({ diagnosis }: Services): Pick<Handlers, 'diagnosis:run' | 'diagnosis:last' | 'fix:preview' | 'fix:apply' | 'fix:revert'> {
  return {
    'diagnosis:run': async () => diagnosis.run(),
    'diagnosis:last': async () => diagnosis.last(),
    'fix:preview': async ({ findingId }) => diagnosis.preview(findingId),
    'fix:apply': async ({ findingId, node, confirmSeconds, persist }) => diagnosis.apply(findingId, node, confirmSeconds, persist),
    'fix:revert': async ({ node, fixId }) => diagnosis.revert(node, fixId),
  };
}
