import { listResources } from '../../../../agent/api/client.js';
import { ResourceType, type Resource } from '../../../../proto/gen/spanwise/agent/v1/agent.js';
import type { SiteKind } from '../../../contract/machines.js';
import { agentView, hostAddresses, type AgentPeer } from '../../agents/agent-view.js';
import type { MachineAgent } from '../../agents/connect-machine.js';
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
  peers: AgentPeer[];
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
    addresses: [],
    endpoints: [],
    reflectedIp: null,
    meshMtu: null,
    discovery: null,
    peers: [],
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
      ResourceType.RESOURCE_TYPE_ENDPOINT,
      ResourceType.RESOURCE_TYPE_CONFIG,
    ];
    const resources: Resource[] = await listResources(read.agent.connection.client, types)
      .then((r) => r.resources)
      .catch(() => []);
    const view = agentView(resources);
    read.publicKey = view.identity?.publicKey ?? null;
    read.peers = [...view.peers.values()];
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
  }
  return read;
}

/** IPv4 addresses peers can try for a node: its advertised endpoints' IPs, then its SSH address. */
export function targetIps(read: NodeRead): string[] {
  const ips = read.endpoints.map((e) => e.replace(/:\d+$/, '')).filter((ip) => /^[0-9.]{7,15}$/.test(ip));
  if (/^[0-9.]{7,15}$/.test(read.node.sshHost)) ips.push(read.node.sshHost);
  return [...new Set(ips)];
}
