import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAgentBundle } from '../../../scripts/agent-bundle.js';
import { labExec } from '../exec.js';

/** Where the agent bundle lives on a lab host, as onboarding installs it. */
export const HOST_AGENT = '/opt/spanwise/spanwise-agent.mjs';

/** The agent bundle built from this checkout, in a temp dir of the root namespace. */
export interface AgentBundle {
  /** Path in the root namespace (run it there with `node`, e.g. for the discovery service). */
  path: string;
  text: string;
  remove(): Promise<void>;
}

/** Builds the single-file agent (what hosts really run) from the current sources. */
export async function buildBundle(): Promise<AgentBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'spanwise-mesh-'));
  const path = join(dir, 'spanwise-agent.mjs');
  await buildAgentBundle(path);
  return { path, text: await readFile(path, 'utf8'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies the bundle into a host's private /opt (hosts do not see the root namespace's /tmp). */
export async function installBundle(host: string, bundle: AgentBundle): Promise<void> {
  await labExec(host, `mkdir -p /opt/spanwise && cat > ${HOST_AGENT}.part && mv ${HOST_AGENT}.part ${HOST_AGENT}`, { input: bundle.text });
}
