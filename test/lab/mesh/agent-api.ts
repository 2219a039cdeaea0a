import { PeerState, ResourceType, type AgentServiceClient, type Identity, type PeerStatus } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { agentClient, listResources } from '../../../agent/api/client.js';
import type { ApiTls } from '../../../agent/api/server.js';
import { sleep } from '../run.js';

/** A peer's state as `get` prints it. */
export type PeerStateText = 'up' | 'down' | 'unknown';

const STATE: Record<number, PeerStateText> = { [PeerState.PEER_STATE_UP]: 'up', [PeerState.PEER_STATE_DOWN]: 'down' };

/** What one agent reports about one peer, by the peer's label (its host name). */
export interface SeenPeer {
  label: string;
  state: PeerStateText;
  endpoint: string;
  rxBytes: number;
  txBytes: number;
  publicKey: string;
  /** WireGuard's last handshake with the peer (ms since the epoch), undefined when never. */
  lastHandshake?: number;
}

/**
 * Reads agents' resources over their real API (TCP 50000, mutual TLS with the cluster CA) from the
 * root namespace, one client per host, kept open so polling is cheap.
 */
export class MeshApi {
  private readonly clients = new Map<string, AgentServiceClient>();

  constructor(
    private readonly tls: ApiTls,
    private readonly addressOf: (host: string) => string,
  ) {}

  private client(host: string): AgentServiceClient {
    let client = this.clients.get(host);
    if (!client) {
      client = agentClient({ kind: 'tcp', address: `${this.addressOf(host)}:50000`, tls: this.tls, machine: host });
      this.clients.set(host, client);
    }
    return client;
  }

  /** The host's peer statuses; empty while its agent does not answer. */
  async peers(host: string): Promise<SeenPeer[]> {
    try {
      const response = await listResources(this.client(host), [ResourceType.RESOURCE_TYPE_PEER_STATUS], 2_000);
      return response.resources.flatMap((r) => (r.spec?.$case === 'peerStatus' ? [seen(r.spec.value)] : []));
    } catch {
      return [];
    }
  }

  /** The host's identity, undefined while its agent does not answer. */
  async identity(host: string): Promise<Identity | undefined> {
    try {
      const response = await listResources(this.client(host), [ResourceType.RESOURCE_TYPE_IDENTITY], 2_000);
      const spec = response.resources[0]?.spec;
      return spec?.$case === 'identity' ? spec.value : undefined;
    } catch {
      return undefined;
    }
  }

  /** What `observer` says about `peer` (undefined when it does not know it). */
  async peer(observer: string, peer: string): Promise<SeenPeer | undefined> {
    return (await this.peers(observer)).find((p) => p.label === peer);
  }

  /** Whether every host reports every other host in `state`. */
  async allPairs(hosts: readonly string[], state: PeerStateText): Promise<boolean> {
    const views = await Promise.all(hosts.map((h) => this.peers(h)));
    return hosts.every((h, i) => hosts.every((p) => p === h || views[i]?.find((s) => s.label === p)?.state === state));
  }

  /** A line per host with what it sees, for failure messages. */
  async describe(hosts: readonly string[]): Promise<string> {
    const views = await Promise.all(
      hosts.map(async (h) => `${h}: ${(await this.peers(h)).map((p) => `${p.label}=${p.state}@${p.endpoint}`).join(' ') || '(no answer)'}`),
    );
    return views.join('\n');
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

function seen(s: PeerStatus): SeenPeer {
  return {
    label: s.label,
    state: STATE[s.state] ?? 'unknown',
    endpoint: s.endpoint,
    rxBytes: s.rxBytes,
    txBytes: s.txBytes,
    publicKey: s.publicKey,
    lastHandshake: s.lastHandshake?.getTime(),
  };
}

/**
 * Polls `check` until it returns true; returns the elapsed ms. On timeout throws with `describe()`'s
 * text, so a failing test shows what each agent saw.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; everyMs?: number; describe?: () => Promise<string> },
): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < options.timeoutMs) {
    if (await check()) return performance.now() - start;
    await sleep(options.everyMs ?? 100);
  }
  throw new Error(`timed out after ${options.timeoutMs} ms waiting until ${what}${options.describe ? `\n${await options.describe()}` : ''}`);
}
