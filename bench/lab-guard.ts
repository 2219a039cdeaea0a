import { missingPrerequisites } from '../test/lab/prerequisites.js';
import { labStatus } from '../test/lab/status.js';

/**
 * Whether a lab benchmark may run: the lab's prerequisites are here and no lab
 * is up (a bench never takes over someone's lab). Prints why not.
 */
export async function labIsFree(bench: string): Promise<boolean> {
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    console.error(`${bench} bench needs: ${missing.join('; ')}`);
    return false;
  }
  const current = await labStatus();
  if (current.phase !== 'down') {
    console.error(`${bench} bench: a lab (${current.scenario}) is up; run \`npm run lab -- down\` first`);
    return false;
  }
  return true;
}
