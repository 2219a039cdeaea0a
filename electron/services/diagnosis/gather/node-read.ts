import { listResources } from '../../../../agent/api/client.js';
import { ResourceType, type Resource } from '../../../../proto/gen/spanwise/agent/v1/agent.js';
import type { SiteKind } from '../../../contract/machines.js';
import { agentView, hostAddresses, type AgentHealthWarning, type AgentPeer, type AgentPeerSpec } from '../../agents/agent-view.js';
import { peerView } from '../../agents/peer-view.js';
import type { HostFacts, PeerView } from '../evidence.js';
import type { MachineAgent } from '../../agents/connect-machine.js';
import type { HostShell } from '../fix/revert-guard.js';
import { hostFactsScript, parseHostFacts } from './host-facts.js';
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
  meshAddress: string | null;
  warnings: AgentHealthWarning[];
  facts: HostFacts | null;
  addresses: string[];
  endpoints: string[];
  reflectedIp: string | null;
  meshMtu: number | null;
  discovery: string | null;
  peers: AgentPeer[];
  /** What discovery told the agent of each peer (published endpoints and addresses). */
  peerSpecs: AgentPeerSpec[];
  report: HostReport | null;
  /** The agent runs its WireGuard link (it has an identity), so UDP 51820 is taken on the host. */
  meshUp: boolean;
}

/** Reads a node's agent (identity, peers, endpoints, config) and host report; each part may fail alone. */
export async function readNode(node: GatherNode): Promise<NodeRead> {
  const read: NodeRead = {
    node,
    agent: null,
    shell: null,
    publicKey: null,
    meshAddress: null,
    warnings: [],
    facts: null,
    addresses: [],
    endpoints: [],
    reflectedIp: null,
    meshMtu: null,
    discovery: null,
    peers: [],
    peerSpecs: [],
    report: null,
    meshUp: false,
  };
  const shell = node.rootShell().catch(() => null);
  read.agent = await node.agent().catch(() => null);
  if (read.agent) {
    read.addresses = hostAddresses(read.agent.connection.facts.addresses);
    const types = [
      ResourceType.RESOURCE_TYPE_IDENTITY,
      ResourceType.RESOURCE_TYPE_PEER_STATUS,
      ResourceType.RESOURCE_TYPE_PEER_SPEC,
      ResourceType.RESOURCE_TYPE_ENDPOINT,
      ResourceType.RESOURCE_TYPE_CONFIG,
      ResourceType.RESOURCE_TYPE_HEALTH_WARNING,
    ];
    const resources: Resource[] = await listResources(read.agent.connection.client, types)
      .then((r) => r.resources)
      .catch(() => []);
    const view = agentView(resources);
    read.publicKey = view.identity?.publicKey ?? null;
    read.meshAddress = view.identity?.address ?? null;
    read.warnings = view.warnings;
    read.peers = [...view.peers.values()];
    read.peerSpecs = [...view.peerSpecs.values()];
    read.endpoints = view.endpoints.map((e) => e.address);
    read.reflectedIp = view.reflectedIp;
    read.meshMtu = view.config?.mtu ?? null;
    read.discovery = view.config?.discovery ?? null;
    read.meshUp = read.publicKey !== null;
  }
  read.shell = await shell;
  if (read.shell) {
    const out = await read.shell.exec(hostReportScript).catch(() => null);
    read.report = out ? parseHostReport(out.stdout) : null;
    const started = Date.now();
    const facts = await read.shell.exec(hostFactsScript).catch(() => null);
    read.facts = facts ? parseHostFacts(facts.stdout, started, Date.now()) : null;
  }
  return read;
}

/**
 * Addresses peers can try for a node in one family: its advertised endpoints'
 * IPs, then its SSH address (IPv4), or its global IPv6 host addresses (IPv6).
 */
export function targetIps(read: NodeRead, family: 4 | 6 = 4): string[] {
  const ips = read.endpoints.map((e) => e.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')).filter(family === 4 ? isV4 : isGlobalV6);
  if (family === 4 && isV4(read.node.sshHost)) ips.push(read.node.sshHost);
  if (family === 6) ips.push(...read.addresses.map((a) => a.split('/')[0] as string).filter((a) => isGlobalV6(a)));
  return [...new Set(ips)];
}

/** What one side's WireGuard says of a peer, as the evidence holds it. */
export const seenPeer = (peer: AgentPeer): PeerView => {
  const { state, endpoint, lastHandshake, rx, tx, reason } = peerView(peer);
  return { state, endpoint, lastHandshake, rx, tx, reason };
};

const isV4 = (ip: string) => /^[0-9.]{7,15}$/.test(ip);
/** Global unicast IPv6 (2000::/3): not link-local, ULA (the mesh's own addresses) or loopback. */
const isGlobalV6 = (ip: string) => ip.includes(':') && /^[23][0-9a-f]{0,3}:/i.test(ip);
