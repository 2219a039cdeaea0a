import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { paths } from './paths.js';
import type { PlannedHost } from './plan.js';

/** A host as recorded once it runs. */
export interface HostState extends PlannedHost {
  /** Public host key line (`ssh-ed25519 AAAA... root@name`). */
  hostKey: string;
  /** PID 1 of the host (its sshd), as seen from the root namespace. */
  initPid: number;
}

/** `state.json`: what the lab built, so `status`, `exec` and `down` can find it. */
export interface LabState {
  version: 1;
  scenario: string;
  /** `building` until every host answers; a crash leaves it there. */
  phase: 'building' | 'up';
  startedAt: string;
  /** Every namespace this run creates (all carry the lab prefix). */
  namespaces: string[];
  /** True when /run/netns did not exist before, so `down` removes it again. */
  createdNetnsDir: boolean;
  hosts: HostState[];
}

export async function readState(): Promise<LabState | null> {
  try {
    return JSON.parse(await readFile(paths.state, 'utf8')) as LabState;
  } catch {
    return null;
  }
}

export async function writeState(state: LabState): Promise<void> {
  await mkdir(dirname(paths.state), { recursive: true, mode: 0o700 });
  const tmp = `${paths.state}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, paths.state);
}
