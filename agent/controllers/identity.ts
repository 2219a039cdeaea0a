import type { AgentConfig } from '../config/schema.js';
import { formatIp } from '../shared/ip.js';
import { clusterSubnet, eui64Address, parseMac } from '../lib/ula.js';
import { HealthCode, reportHealth } from '../resources/health.js';
import { HealthKind, HostNetworkKind, IdentityKind, PrivateKeyKind } from '../resources/kinds.js';
import { pickIdentityLink } from '../system/host-network.js';
import type { IdentityFile } from '../system/identity-files.js';
import { exclusive, shared } from './access.js';
import type { Controller } from './runtime.js';

/** Where the identity is persisted; the real one uses the state dir, tests pass memory. */
export interface IdentityPersistence {
  load(): Promise<IdentityFile>;
  save(identity: IdentityFile): Promise<void>;
  nodeId(): Promise<string>;
}

/**
 * Publishes this node's Identity ("local") and its private key: the persisted key pair and node id,
 * the cluster ULA /64 and the EUI-64 address of the first physical link (fallback: the first link
 * with a MAC, with a NO_PHYSICAL_NIC warning).
 */
export function identityController(config: AgentConfig, persistence: IdentityPersistence, hostname: string): Controller {
  let loaded: { file: IdentityFile; nodeId: string } | undefined;
  return {
    name: 'identity',
    inputs: [HostNetworkKind],
    outputs: [exclusive(IdentityKind), exclusive(PrivateKeyKind), shared(HealthKind)],
    async run({ store, clock, log }) {
      const host = store.get(HostNetworkKind, 'host')?.spec;
      if (!host) return;
      loaded ??= { file: await persistence.load(), nodeId: await persistence.nodeId() };
      const picked = pickIdentityLink(host.links);
      const health = [];
      if (!picked) {
        health.push({
          code: HealthCode.noPhysicalNic,
          severity: 'error' as const,
          text: 'no network link with a MAC address: cannot derive the node address',
          evidence: { links: host.links.map((l) => l.name).join(',') },
        });
      } else if (picked.fallback) {
        health.push({
          code: HealthCode.noPhysicalNic,
          severity: 'warning' as const,
          text: `no physical Ethernet link; the node address comes from ${picked.link.name} (virtual), which may change if it is recreated`,
          evidence: { link: picked.link.name, mac: picked.link.mac ?? '' },
        });
      }
      reportHealth(store, [HealthCode.noPhysicalNic], health, clock.now());
      const mac = picked?.link.mac && parseMac(picked.link.mac);
      if (!picked || !mac) return;
      const subnet = clusterSubnet(config.cluster.id);
      const address = formatIp(eui64Address(subnet, mac));
      const subnetText = `${formatIp(subnet)}/64`;
      if (loaded.file.address !== address || loaded.file.subnet !== subnetText) {
        loaded.file = { ...loaded.file, address, subnet: subnetText };
        await persistence.save(loaded.file);
        log.info('identity address set', { address, link: picked.link.name });
      }
      store.upsert(PrivateKeyKind, 'local', { privateKey: loaded.file.privateKey });
      store.upsert(IdentityKind, 'local', {
        nodeId: loaded.nodeId,
        publicKey: loaded.file.publicKey,
        address,
        subnet: subnetText,
        hostname: config.node.hostname ?? hostname,
        linkName: picked.link.name,
        linkMac: picked.link.mac ?? '',
        linkFallback: picked.fallback,
      });
    },
  };
}
