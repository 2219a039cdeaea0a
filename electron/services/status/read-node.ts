import { listResources } from '../../../agent/api/client.js';
import { PeerState, ResourceType } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { NodeStatus, PeerView } from '../../contract/status.js';
import type { MachineAgentOpener } from '../agents/connect-machine.js';
import type { MachineRow } from '../store/machines.js';

const stateName = (state: PeerState): PeerView['state'] => (state === PeerState.PEER_STATE_UP ? 'up' : state === PeerState.PEER_STATE_DOWN ? 'down' : 'unknown');

/** Reads one node's identity and peers from its agent: directly, else through SSH. */
export async function readNode(machine: MachineRow, open: MachineAgentOpener): Promise<NodeStatus> {
  const base: NodeStatus = { name: machine.name, site: machine.site, role: machine.role, agent: { reachable: false, via: null, version: null }, publicKey: null, address: null, peers: [] };
  try {
    const agent = await open(machine);
    try {
      const { resources } = await listResources(agent.connection.client, [ResourceType.RESOURCE_TYPE_IDENTITY, ResourceType.RESOURCE_TYPE_PEER_STATUS]);
      const status: NodeStatus = { ...base, agent: { reachable: true, via: agent.connection.via, version: agent.connection.facts.agentVersion } };
      for (const resource of resources) {
        if (resource.spec?.$case === 'identity') {
          status.publicKey = resource.spec.value.publicKey;
          status.address = resource.spec.value.address;
        } else if (resource.spec?.$case === 'peerStatus') {
          const peer = resource.spec.value;
          status.peers.push({ name: peer.label || peer.publicKey.slice(0, 8), publicKey: peer.publicKey, state: stateName(peer.state), endpoint: peer.endpoint || null, lastHandshake: peer.lastHandshake?.toISOString() ?? null, rx: peer.rxBytes, tx: peer.txBytes });
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
