/**
 * vitest globalSetup of the `lab` project. Before the run: checks that the lab
 * can run here (Linux, root, ip, nft, sshd, wireguard-go, nc, ...) and removes
 * any lab a crashed run left. Under CI a missing prerequisite fails the whole
 * run with a message naming it; elsewhere it is printed and every lab test
 * fails with the same message (nothing is skipped). After the run: takes down
 * any lab still up.
 */
import { cleanupLab } from './cleanup.js';
import { missingPrerequisites } from './prerequisites.js';

export default async function setup(): Promise<() => Promise<void>> {
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    const message = `Spanwise lab prerequisites missing: ${missing.join('; ')}`;
    if (process.env.CI) throw new Error(message);
    console.warn(`${message}\n(lab tests will fail; set up Linux + root + the packages above)`);
    return async () => undefined;
  }
  await cleanupLab();
  return async () => {
    await cleanupLab();
  };
}
