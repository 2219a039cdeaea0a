import { listResources } from '../../../../agent/api/client.js';
import { EndpointSource, ResourceType, type Resource } from '../../../../proto/gen/spanwise/agent/v1/agent.js';
import type { SiteKind } from '../../../contract/machines.js';
import type { MachineAgent } from '../../agents/connect-machine.js';
import { validateIdentity, validatePeer, type ValidPeer } from '../../mesh/peer-input.js';
import type { HostShell } from '../fix/revert-guard.js';
import { parseHostReport, hostReportScript, type HostReport } from './host-report.js';

/** How the gatherer reaches one node: its agent and a root shell over SSH. */
export interface GatherNode {
  name: string;
  site: SiteKind;
  /** The address the desktop uses for SSH (tried for TCP 50000 too). */
  sshHost: string;
  agent(): Promise<MachineAgent>;
  rootShell(): Promise<HostShell & { close(): void }>;
}

/** What was read from one node before any cross-node probe. */
export interface NodeRead {
  node: GatherNode;
  agent: MachineAgent | null;
  shell: (HostShell & { close(): void }) | null;
  publicKey: string | null;
  addresses: string[];
  endpoints: string[];
  reflectedIp: string | null;
  meshMtu: number | null;
  discovery: string | null;
  peers: ValidPeer[];
  report: HostReport | null;
  /** The agent runs its WireGuard link (it has an identity), so UDP 51820 is taken on the host. */
  meshUp: boolean;
}

const CIDR = /^[0-9a-fA-F:.]{2,45}\/\d{1,3}$/;
const ENDPOINT = /^(\[[0-9a-fA-F:.]{2,45}\]|[0-9.]{7,15}):\d{1,5}$/;
const LOOPBACK = /^(127\.|::1\/)/;
const HOSTPORT = /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/;

/** Reads a node's agent (identity, peers, endpoints, config) and host report; each part may fail alone. */
export async function readNode(node: GatherNode): Promise<NodeRead> {
  const read: NodeRead = { node, agent: null, shell: null, publicKey: null, addresses: [], endpoints: [], reflectedIp: null, meshMtu: null, discovery: null, peers: [], report: null, meshUp: false };
  const shell = node.rootShell().catch(() => null);
  read.agent = await node.agent().catch(() => null);
  if (read.agent) {
    read.addresses = read.agent.connection.facts.addresses.filter((a) => CIDR.test(a) && !LOOPBACK.test(a));
    const types = [ResourceType.RESOURCE_TYPE_IDENTITY, ResourceType.RESOURCE_TYPE_PEER_STATUS, ResourceType.RESOURCE_TYPE_ENDPOINT, ResourceType.RESOURCE_TYPE_CONFIG];
    const resources: Resource[] = await listResources(read.agent.connection.client, types).then((r) => r.resources).catch(() => []);
    const endpoints: Array<{ address: string; order: number }> = [];
    for (const r of resources) {
      const spec = r.spec;
      if (spec?.$case === 'identity') read.publicKey = validateIdentity(spec.value)?.publicKey ?? null;
      else if (spec?.$case === 'peerStatus') {
        const peer = validatePeer(spec.value);
        if (peer) read.peers.push(peer);
      } else if (spec?.$case === 'endpoint' && ENDPOINT.test(spec.value.address)) {
        endpoints.push({ address: spec.value.address, order: spec.value.order });
        if (spec.value.source === EndpointSource.ENDPOINT_SOURCE_REFLECTED) read.reflectedIp = spec.value.address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      } else if (spec?.$case === 'config') {
        read.meshMtu = spec.value.mtu >= 1280 && spec.value.mtu <= 9000 ? spec.value.mtu : null;
        const discovery = spec.value.discoveryEndpoints.map((d) => d.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '')).find((d) => HOSTPORT.test(d));
        read.discovery = discovery ?? null;
      }
    }
    read.meshUp = read.publicKey !== null;
    read.endpoints = endpoints.sort((a, b) => a.order - b.order).map((e) => e.address);
  }
  read.shell = await shell;
  if (read.shell) {
    const out = await read.shell.exec(hostReportScript).catch(() => null);
    read.report = out ? parseHostReport(out.stdout) : null;
  }
  return read;
}

/** IPv4 addresses peers can try for a node: its advertised endpoints' IPs, then its SSH address. */
export function targetIps(read: NodeRead): string[] {
  const ips = read.endpoints.map((e) => e.replace(/:\d+$/, '')).filter((ip) => /^[0-9.]{7,15}$/.test(ip));
  if (/^[0-9.]{7,15}$/.test(read.node.sshHost)) ips.push(read.node.sshHost);
  return [...new Set(ips)];
}
