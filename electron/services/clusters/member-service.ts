import { isIP } from 'node:net';
import { parseDiscoveryUrl } from '../../../agent/shared/discovery-target.js';
import { DiscoveryClient, decryptMembers, type MemberView } from '../../../agent/discovery/client/index.js';
import { clusterKey } from '../../../agent/shared/affiliate-crypto.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { ClusterMember, ClusterMembers } from '../../contract/clusters.js';
import { resolveDiscovery } from '../onboarding/discovery-placement.js';
import { isWireGuardKey } from '../../../agent/shared/wireguard-keys.js';
import { isEndpoint, printable } from '../remote-fields.js';
import type { MachineStore } from '../store/machines.js';
import type { ClusterService } from './cluster-service.js';

/** A decrypted member as the UI sees it: what others published is untrusted, so every field is checked. */
function toMember(view: MemberView, machines: Set<string>): ClusterMember {
  const hostname = printable(view.hostname, 253);
  const nodename = printable(view.nodename, 253);
  const meshAddress = view.kubespan?.address.split('/')[0] ?? '';
  return {
    status: view.status,
    hostname,
    nodename,
    operatingSystem: printable(view.operatingSystem, 100),
    machineType: printable(view.machineType, 40),
    publicKey: view.kubespan && isWireGuardKey(view.kubespan.publicKey) ? view.kubespan.publicKey : null,
    meshAddress: isIP(meshAddress) === 6 ? meshAddress : null,
    endpoints: view.endpoints.filter(isEndpoint).slice(0, 64),
    machine: [nodename, hostname, hostname.split('.')[0] ?? ''].find((n) => n !== '' && machines.has(n)) ?? null,
  };
}

/**
 * Lists the members a cluster's discovery service knows, decrypted on this machine
 * with the cluster secret: the nodes onboarded here, and members that joined
 * otherwise (Talos nodes sharing the mesh, for instance).
 */
export class MemberService {
  constructor(private readonly deps: { clusters: ClusterService; machineStore: MachineStore }) {}

  async members(name?: string): Promise<ClusterMembers> {
    const cluster = name ? this.deps.clusters.get(name) : this.deps.clusters.current();
    const machines = this.deps.machineStore.list(cluster.name);
    const { url, tls } = resolveDiscovery(cluster.discovery, machines);
    const target = parseDiscoveryUrl(url);
    const secrets = this.deps.clusters.secretsOf(cluster.name);
    // Discovery on a node is checked against the cluster CA, as the agents check it.
    const client = new DiscoveryClient({
      endpoint: target.endpoint,
      insecure: target.insecure,
      timeoutMs: 5000,
      ...(tls ? { ca: Buffer.from(secrets.ca.certPem) } : {}),
    });
    const affiliates = await client
      .list(cluster.clusterId)
      .catch((error: Error) => {
        throw new SpanwiseError(
          'DISCOVERY_UNREACHABLE',
          `the discovery service at ${url} did not answer: ${error.message}`,
          'check that it runs (onboard its node first) and that this machine reaches it',
        );
      })
      .finally(() => client.close());
    const names = new Set(machines.map((m) => m.name));
    const members = decryptMembers(clusterKey(secrets.secret), affiliates).map((view) => toMember(view, names));
    members.sort((a, b) => Number(b.machine !== null) - Number(a.machine !== null) || (a.nodename || a.hostname).localeCompare(b.nodename || b.hostname));
    return { cluster: cluster.name, discovery: url, members };
  }
}
