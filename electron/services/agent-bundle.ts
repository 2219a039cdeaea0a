import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ResourceLayout } from './paths.js';

/** Where the agent's files are read from: its bundle and the systemd unit installed with it. */
export type AgentFiles = Pick<ResourceLayout, 'agentBundle' | 'agentUnit'>;

/** The agent bundle pushed to hosts, with its hash and the systemd unit that runs it. */
export interface AgentBundle {
  path: string;
  bytes: Buffer;
  sha256: string;
  /** The text of `spanwise-agent.service`. */
  unit: string;
  /** The text of the OpenRC script `openrc/spanwise-agent`, next to the unit. */
  openrc: string;
}

/** Reads the agent bundle, its unit and OpenRC script and hashes the bundle; null when either is missing (not built). */
export async function readAgentBundle(files: AgentFiles): Promise<AgentBundle | null> {
  try {
    const openrcScript = join(dirname(files.agentUnit), 'openrc', 'spanwise-agent');
    const [bytes, unit, openrc] = await Promise.all([readFile(files.agentBundle), readFile(files.agentUnit, 'utf8'), readFile(openrcScript, 'utf8')]);
    return { path: files.agentBundle, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), unit, openrc };
  } catch {
    return null;
  }
}
