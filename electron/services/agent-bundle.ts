import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hostRuntime, runtimesDir } from './onboarding/runtime-files.js';
import type { ResourceLayout } from './paths.js';

/** Where the agent's files are read from: its bundle and the systemd unit installed with it. */
export type AgentFiles = Pick<ResourceLayout, 'agentBundle' | 'agentUnit'>;

/** The agent bundle pushed to hosts, with its hash and the systemd unit that runs it. */
export interface AgentBundle {
  path: string;
  /** The bundle as installed on hosts: its shebang names /opt/spanwise/bin/node (see `hostBundle`). */
  bytes: Buffer;
  sha256: string;
  /** The text of `spanwise-agent.service`. */
  unit: string;
  /** The text of the OpenRC script `openrc/spanwise-agent`, next to the unit. */
  openrc: string;
  /** Where the Node runtimes prepared for upload are (`npm run agent:runtimes`). */
  runtimesDir: string;
}

/**
 * The bundle as hosts run it: `#!/usr/bin/env node` becomes `#!/opt/spanwise/bin/node`, the
 * link onboarding points at the uploaded runtime or the host's own suitable Node, so the unit,
 * `supervise` and the packages run `/opt/spanwise/spanwise-agent.mjs` the same way everywhere.
 */
export function hostBundle(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8');
  if (!text.startsWith('#!')) return bytes;
  return Buffer.from(`#!${hostRuntime.link}${text.slice(text.indexOf('\n'))}`, 'utf8');
}

/** Reads the agent bundle, its unit and OpenRC script and hashes the bundle as installed; null when one is missing (not built). */
export async function readAgentBundle(files: AgentFiles): Promise<AgentBundle | null> {
  try {
    const openrcScript = join(dirname(files.agentUnit), 'openrc', 'spanwise-agent');
    const [raw, unit, openrc] = await Promise.all([readFile(files.agentBundle), readFile(files.agentUnit, 'utf8'), readFile(openrcScript, 'utf8')]);
    const bytes = hostBundle(raw);
    return { path: files.agentBundle, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), unit, openrc, runtimesDir: runtimesDir(files) };
  } catch {
    return null;
  }
}
