import type { ClusterStatus } from '../../contract/status.js';
import type { ClusterService } from '../clusters/cluster-service.js';
import type { MachineService } from '../machines/machine-service.js';
import type { HostKeyStore } from '../ssh/host-keys.js';
import { resolveDiscovery } from '../onboarding/discovery-placement.js';
import type { MachineStore } from '../store/machines.js';
import { readNode } from './read-node.js';

/** Reads every node of the current cluster, in parallel. */
export class StatusService {
  constructor(private readonly deps: { clusters: ClusterService; machines: MachineService; machineStore: MachineStore; hostKeys: HostKeyStore }) {}

  async status(): Promise<ClusterStatus> {
    const cluster = this.deps.clusters.current();
    const { ca } = this.deps.clusters.secretsOf(cluster.name);
    const machines = this.deps.machineStore.list(cluster.name);
    let discovery: string;
    try {
      discovery = resolveDiscovery(cluster.discovery, machines).url;
    } catch (error) {
      discovery = `unresolved: ${(error as Error).message}`;
    }
    const nodes = await Promise.all(machines.map((m) => readNode(m, this.deps.machines.credentials(m), ca, this.deps.hostKeys)));
    return { cluster: { name: cluster.name, clusterId: cluster.clusterId, discovery }, nodes };
  }
}
