import type { ClusterStatus } from '../../contract/status.js';
import type { MachineAgentOpener } from '../agents/connect-machine.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import { resolveDiscovery } from '../onboarding/discovery-placement.js';
import type { MachineStore } from '../store/machines.js';
import { readNode } from './read-node.js';

/** Reads every node of the current cluster, in parallel. */
export class StatusService {
  constructor(private readonly deps: { clusters: ClusterService; machineStore: MachineStore; opener: MachineAgentOpener }) {}

  async status(): Promise<ClusterStatus> {
    const cluster = this.deps.clusters.current();
    const machines = this.deps.machineStore.list(cluster.name);
    let discovery: string;
    try {
      discovery = resolveDiscovery(cluster.discovery, machines).url;
    } catch (error) {
      discovery = `unresolved: ${(error as Error).message}`;
    }
    const nodes = await Promise.all(machines.map((m) => readNode(m, this.deps.opener)));
    return { cluster: { name: cluster.name, clusterId: cluster.clusterId, discovery }, nodes };
  }
}
