import { listResources } from '../../../agent/api/client.js';
import { ResourceType } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { NodeStatus, PeerView } from '../../contract/status.js';
import type { MachineAgentOpener } from '../agents/connect-machine.js';
import { validateIdentity, validatePeer } from '../mesh/peer-input.js';
import type { MachineRow } from '../store/machines.js';

const stateNames: PeerView['state'][] = ['unknown', 'up', 'down'];

/** Reads one node's identity and peers from its agent (directly, else through SSH), validated as any network input. */
export async function readNode(machine: MachineRow, open: MachineAgentOpener): Promise<NodeStatus> {
  const base: NodeStatus = { name: machine.name, site: machine.site, role: machine.role, agent: { reachable: false, via: null, version: null }, publicKey: null, address: null, peers: [] };
  try {
    const agent = await open(machine);
    try {
      const { resources } = await listResources(agent.connection.client, [ResourceType.RESOURCE_TYPE_IDENTITY, ResourceType.RESOURCE_TYPE_PEER_STATUS]);
      const status: NodeStatus = { ...base, agent: { reachable: true, via: agent.connection.via, version: agent.connection.facts.agentVersion } };
      for (const resource of resources) {
        if (resource.spec?.$case === 'identity') {
          const identity = validateIdentity(resource.spec.value);
          status.publicKey = identity?.publicKey ?? null;
          status.address = identity?.address ?? null;
        } else if (resource.spec?.$case === 'peerStatus') {
          const peer = validatePeer(resource.spec.value);
          if (!peer) continue;
          const lastHandshake = peer.lastHandshakeMs ? new Date(peer.lastHandshakeMs).toISOString() : null;
          status.peers.push({ name: peer.label || peer.publicKey.slice(0, 8), publicKey: peer.publicKey, state: stateNames[peer.state] ?? 'unknown', endpoint: peer.endpoint, lastHandshake, rx: peer.rx, tx: peer.tx, rttMs: peer.rttMs });
        }
      }
      status.peers.sort((a, b) => a.name.localeCompare(b.name));
      return status;
    } finally {
      await agent.close();
    }
  } catch (error) {
    return { ...base, agent: { ...base.agent, error: (error as Error).message } };
  }
}
