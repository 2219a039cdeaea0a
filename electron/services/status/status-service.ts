import type { ClusterStatus } from '../../contract/status.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { HealthService } from '../health/health-service.js';
import type { MeshService } from '../mesh/mesh-service.js';
import { resolveDiscovery } from '../onboarding/discovery-placement.js';
import type { MachineStore } from '../store/machines.js';
import { withHealth } from './status-health.js';
import { foreignStatus, nodeStatus } from './node-status.js';

/** How long `status()` waits for agents the watch has not heard from yet: past the direct, then SSH, connect timeouts. */
export const FIRST_ANSWER_WAIT_MS = 20_000;

/**
 * The cluster's status from the live mesh watch (started if needed, as in a
 * fresh CLI process): no extra round of calls to the agents. Members Spanwise
 * does not manage follow the machines, with what the agents see of them.
 */
export class StatusService {
  constructor(private readonly deps: { clusters: ClusterService; machineStore: MachineStore; mesh: MeshService; health: HealthService; waitMs?: number }) {}

  /** Every node's agent and peers, with the health model's fragile pairs and score (from the last diagnosis). */
  async status(): Promise<ClusterStatus> {
    const status = await this.agentStatus();
    return withHealth(status, this.deps.health.health(this.deps.mesh.snapshot()));
  }

  private async agentStatus(): Promise<Omit<ClusterStatus, 'health'>> {
    const cluster = this.deps.clusters.current();
    let discovery: string;
    try {
      discovery = resolveDiscovery(cluster.discovery, this.deps.machineStore.list(cluster.name)).url;
    } catch (error) {
      discovery = `unresolved: ${(error as Error).message}`;
    }
    const waitMs = this.deps.waitMs ?? FIRST_ANSWER_WAIT_MS;
    const { nodes } = await this.deps.mesh.agents(waitMs);
    const managed = nodes.filter(({ node }) => node.managed !== false);
    return {
      cluster: { name: cluster.name, clusterId: cluster.clusterId, discovery },
      nodes: nodes.map(({ node, agent }) => (node.managed === false ? foreignStatus(node, managed) : nodeStatus(node, agent, waitMs))),
    };
  }
}
