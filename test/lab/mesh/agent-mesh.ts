import { findHost, type LabStatus } from '../status.js';
import { agentConfig, newCluster, writeAgentConfig, type MeshCluster } from './agent-config.js';
import { MeshApi } from './agent-api.js';
import { agentLog, startAgent, stopAgent } from './agents.js';
import { createMeshPki, installApiCertificate, type MeshPki } from './api-certs.js';
import { buildBundle, installBundle, type AgentBundle } from './bundle.js';
import { startLabDiscovery, type LabDiscovery } from './discovery.js';

/**
 * Spanwise agents on lab hosts: the bundle installed on each, API certificates from one cluster CA,
 * the discovery service on the desktop address, and a client that reads every agent's API.
 * Used by the lab tests and the mesh benchmark; `close` stops everything it started (not the lab).
 */
export class AgentMesh {
  private constructor(
    readonly hosts: readonly string[],
    readonly bundle: AgentBundle,
    readonly discovery: LabDiscovery,
    readonly pki: MeshPki,
    readonly api: MeshApi,
  ) {}

  /** Prepares `hosts` of a lab that is up (cloud hosts: they have a public address). */
  static async prepare(lab: LabStatus, hosts: readonly string[]): Promise<AgentMesh> {
    const address = (h: string) => {
      const a = findHost(lab, h).publicAddress;
      if (!a) throw new Error(`${h} has no public address; the agent mesh harness uses cloud hosts`);
      return a;
    };
    const bundle = await buildBundle();
    let discovery: LabDiscovery | undefined;
    try {
      discovery = await startLabDiscovery(bundle.path);
      const pki = await createMeshPki();
      await Promise.all(
        hosts.map(async (h) => {
          await installBundle(h, bundle);
          await installApiCertificate(h, address(h), pki);
        }),
      );
      return new AgentMesh(hosts, bundle, discovery, pki, new MeshApi(pki.client, address));
    } catch (error) {
      await discovery?.stop();
      await bundle.remove();
      throw error;
    }
  }

  /** A new cluster served by the lab's discovery service. */
  cluster(id: string, timing: 'fast' | 'talos' = 'fast'): MeshCluster {
    return newCluster(id, this.discovery.url, timing);
  }

  /** Writes the agent config of `cluster` (plus `extra` keys) on each host. */
  async configure(hosts: readonly string[], cluster: MeshCluster, extra: Record<string, unknown> = {}): Promise<void> {
    await Promise.all(hosts.map((h) => writeAgentConfig(h, agentConfig(cluster, extra))));
  }

  async start(hosts: readonly string[]): Promise<void> {
    await Promise.all(hosts.map((h) => startAgent(h)));
  }

  async stop(hosts: readonly string[]): Promise<void> {
    await Promise.all(hosts.map((h) => stopAgent(h)));
  }

  /** Peer views and log tails of every host, for failure messages. */
  async explain(): Promise<string> {
    const logs = await Promise.all(this.hosts.map(async (h) => `--- ${h} log\n${await agentLog(h, 15)}`));
    return `${await this.api.describe(this.hosts)}\n${logs.join('\n')}`;
  }

  /** Stops the agents (their supervisors clean the hosts up), the discovery service, and removes the bundle. */
  async close(): Promise<void> {
    this.api.close();
    await Promise.allSettled(this.hosts.map((h) => stopAgent(h)));
    await this.discovery.stop();
    await this.bundle.remove();
  }
}
