import { pairStateOf } from '../../contract/mesh.js';
import type { NodeStatus } from '../../contract/status.js';
import { peerView } from '../agents/peer-view.js';
import type { WatchedAgent } from '../mesh/agent-watch.js';
import type { MeshNodeInfo } from '../mesh/types.js';

/** One node's status from what the live watch knows of its agent; `waitedMs` is how long the caller waited for a first answer. */
export function nodeStatus(node: MeshNodeInfo, agent: WatchedAgent | undefined, waitedMs: number): NodeStatus {
  const base = { name: node.name, site: node.site, role: node.role, managed: true };
  if (!agent?.answered) {
    const waited = waitedMs >= 1000 ? `${Math.round(waitedMs / 1000)} s` : `${waitedMs} ms`;
    const error = `not seen yet: the agent did not answer the desktop's watch within ${waited}`;
    return { ...base, agent: { reachable: false, via: null, version: null, error }, publicKey: null, address: null, peers: [] };
  }
  const { link, view } = agent;
  const error = !link.reachable && agent.error ? { error: agent.error } : {};
  return {
    ...base,
    agent: { reachable: link.reachable, via: link.via, version: link.agentVersion, ...error },
    publicKey: view.identity?.publicKey ?? null,
    address: view.identity?.address ?? null,
    peers: [...view.peers.values()].map(peerView).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * A member Spanwise does not manage: no agent of its own to read (its peers are unknown, not empty of
 * problems), and how each managed node's WireGuard sees it, found by its key among their peers.
 */
export function foreignStatus(node: MeshNodeInfo, managed: Array<{ node: MeshNodeInfo; agent: WatchedAgent | undefined }>): NodeStatus {
  const seenBy = managed.flatMap(({ node: from, agent }) => {
    const peer = node.publicKey ? agent?.view.peers.get(node.publicKey) : undefined;
    if (!peer) return [];
    const lastHandshake = peer.lastHandshakeMs ? new Date(peer.lastHandshakeMs).toISOString() : null;
    return [{ node: from.name, state: pairStateOf(peer.state), endpoint: peer.endpoint, lastHandshake }];
  });
  const error = 'not managed by Spanwise: it runs no Spanwise agent, so its own view of its peers is unknown';
  return {
    name: node.name,
    site: node.site,
    role: node.role,
    managed: false,
    agent: { reachable: false, via: null, version: null, error },
    publicKey: node.publicKey ?? null,
    address: null,
    peers: [],
    seenBy,
  };
}
