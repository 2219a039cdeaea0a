import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The agent bundle pushed to hosts, with its hash. */
export interface AgentBundle {
  path: string;
  bytes: Buffer;
  sha256: string;
}

/** Reads the agent bundle and hashes it; null when it has not been built. */
export async function readAgentBundle(path: string): Promise<AgentBundle | null> {
  try {
    const bytes = await readFile(path);
    return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch {
    return null;
  }
}
