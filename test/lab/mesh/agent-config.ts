import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { labExec } from '../exec.js';
import { HOST_TLS } from './api-certs.js';

/** Where a lab host keeps the agent config. */
export const HOST_CONFIG = '/etc/spanwise/agent.yaml';

/** One cluster of lab agents: its id, its secret (never printed) and its discovery service. */
export interface MeshCluster {
  id: string;
  /** 32 random bytes, base64: the discovery key and every peer's PSK. */
  secret: string;
  discoveryUrl: string;
  timing: 'fast' | 'talos';
}

/** A new cluster with a random secret. */
export function newCluster(id: string, discoveryUrl: string, timing: 'fast' | 'talos' = 'fast'): MeshCluster {
  return { id, secret: randomBytes(32).toString('base64'), discoveryUrl, timing };
}

/**
 * The agent config of a lab host: the cluster, the lab's discovery service, wireguard-go (the lab
 * has no kernel module), the API on TCP 50000 with the cluster CA, the default state and runtime
 * dirs (private to the host). `extra` adds or overrides top-level keys (filters, mtu, ...).
 */
export function agentConfig(cluster: MeshCluster, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cluster: { id: cluster.id, secret: cluster.secret },
    discovery: { endpoints: [cluster.discoveryUrl] },
    wireguard: { backend: 'wireguard-go' },
    timing: cluster.timing,
    api: { listen: '0.0.0.0:50000', ...HOST_TLS },
    stateDir: '/var/lib/spanwise',
    runtimeDir: '/run/spanwise',
    ...extra,
  };
}

/** Writes a config (an object, or raw text for broken ones) to the host, 0600. */
export async function writeAgentConfig(host: string, config: Record<string, unknown> | string, path = HOST_CONFIG): Promise<void> {
  const text = typeof config === 'string' ? config : stringify(config);
  await labExec(host, `mkdir -p /etc/spanwise && umask 077 && cat > ${path}`, { input: text });
}
