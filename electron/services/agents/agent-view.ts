import { ResourceType, type Resource } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { pairCodes, type PeerCode } from '../../contract/mesh.js';
import {
  checkConfig,
  checkEndpoint,
  checkHealthWarning,
  checkIdentity,
  checkPeerSpec,
  checkPeerStatus,
  MAX_FIELD,
  MAX_LIST,
  type AgentConfig,
  type AgentEndpoint,
  type AgentHealthWarning,
  type AgentIdentity,
  type AgentPeer,
  type AgentPeerSpec,
  type Checked,
} from './resource-checks.js';

export type { AgentConfig, AgentEndpoint, AgentHealthWarning, AgentIdentity, AgentPeer, AgentPeerSpec } from './resource-checks.js';
export { hostAddresses } from './resource-checks.js';

/** The most peers (statuses, and specs) kept for one agent: a KubeSpan cluster holds at most 1024 members, so more is an agent lying. */
export const MAX_PEERS_PER_AGENT = 1024;
/** The most refusal reasons kept; the rest are only counted. */
const MAX_REASONS = 16;

/** One node as its agent describes it, every field validated and bounded. */
export interface AgentView {
  identity: AgentIdentity | null;
  /** Peer statuses by public key (at most MAX_PEERS_PER_AGENT). */
  peers: ReadonlyMap<string, AgentPeer>;
  /** Peer specs by public key (at most MAX_PEERS_PER_AGENT). */
  peerSpecs: ReadonlyMap<string, AgentPeerSpec>;
  /** Advertised endpoints in dial order. */
  endpoints: AgentEndpoint[];
  /** The IP of the reflected endpoint (what discovery saw this node come from), or null. */
  reflectedIp: string | null;
  warnings: AgentHealthWarning[];
  config: AgentConfig | null;
  /** Why resources were refused or left out, first ones first (at most 16), and how many in all. */
  refused: { reasons: string[]; count: number };
}

/** What one accepted upsert changed. */
export type AgentChange = { kind: 'identity'; identity: AgentIdentity } | { kind: 'peer'; peer: AgentPeer } | { kind: 'other' };

const other: AgentChange = { kind: 'other' };

/**
 * The validated state of one agent's resources, kept up to date from a full
 * list (ListResources, or a watch snapshot) and then single upserts and deletes.
 */
export class AgentViewState {
  private identity: AgentIdentity | null = null;
  private readonly peers = new Map<string, AgentPeer>();
  private readonly specs = new Map<string, AgentPeerSpec>();
  private readonly endpoints = new Map<string, AgentEndpoint>();
  private readonly warnings = new Map<string, AgentHealthWarning>();
  private config: AgentConfig | null = null;
  private readonly reasons: string[] = [];
  private refusedCount = 0;

  /** Replaces everything with a full list of resources. */
  reset(resources: readonly Resource[]): void {
    this.clear();
    for (const resource of resources) this.upsert(resource);
  }

  /** Forgets everything (the agent went away). */
  clear(): void {
    this.identity = null;
    this.config = null;
    for (const map of [this.peers, this.specs, this.endpoints, this.warnings]) map.clear();
    this.reasons.length = 0;
    this.refusedCount = 0;
  }

  /** Applies one created or changed resource; null when it was refused or left out (the reason is kept). */
  upsert(resource: Resource): AgentChange | null {
    const spec = resource?.spec;
    switch (spec?.$case) {
      case 'identity':
        return this.take(checkIdentity(spec.value), (identity) => {
          this.identity = identity;
          return { kind: 'identity', identity };
        });
      case 'peerStatus':
        return this.take(
          checkPeerStatus(spec.value),
          (peer) => this.bounded(this.peers, peer.publicKey, peer, MAX_PEERS_PER_AGENT, 'peer status') && { kind: 'peer', peer },
        );
      case 'peerSpec':
        return this.take(checkPeerSpec(spec.value), (s) => this.bounded(this.specs, s.publicKey, s, MAX_PEERS_PER_AGENT, 'peer spec') && other);
      case 'endpoint':
        return this.take(checkEndpoint(spec.value), (e) => this.bounded(this.endpoints, e.address, e, MAX_LIST, 'endpoint') && other);
      case 'healthWarning':
        return this.take(checkHealthWarning(spec.value), (w) => this.bounded(this.warnings, idOf(resource) ?? w.code, w, MAX_LIST, 'health warning') && other);
      case 'config':
        return this.take(checkConfig(spec.value), (config) => {
          this.config = config;
          return other;
        });
      default:
        this.refuse('a resource of a kind this desktop does not know was skipped');
        return null;
    }
  }

  /** Applies a delete (by the resource's type and id); whether anything was removed. */
  remove(resource: Resource): boolean {
    const type = resource?.metadata?.type;
    if (type === ResourceType.RESOURCE_TYPE_IDENTITY) {
      const had = this.identity !== null;
      this.identity = null;
      return had;
    }
    if (type === ResourceType.RESOURCE_TYPE_CONFIG) {
      const had = this.config !== null;
      this.config = null;
      return had;
    }
    const maps: Partial<Record<ResourceType, Map<string, unknown>>> = {
      [ResourceType.RESOURCE_TYPE_PEER_STATUS]: this.peers,
      [ResourceType.RESOURCE_TYPE_PEER_SPEC]: this.specs,
      [ResourceType.RESOURCE_TYPE_ENDPOINT]: this.endpoints,
      [ResourceType.RESOURCE_TYPE_HEALTH_WARNING]: this.warnings,
    };
    const id = idOf(resource);
    return id !== null && type !== undefined && (maps[type]?.delete(id) ?? false);
  }

  /** The identity, without copying the rest. */
  currentIdentity(): AgentIdentity | null {
    return this.identity;
  }

  /** The peer statuses, without copying the rest. */
  peerList(): AgentPeer[] {
    return [...this.peers.values()];
  }

  /** A copy of the current state. */
  view(): AgentView {
    const endpoints = [...this.endpoints.values()].sort((a, b) => a.order - b.order);
    const reflected = endpoints.find((e) => e.reflected)?.address ?? null;
    return {
      identity: this.identity,
      peers: new Map(this.peers),
      peerSpecs: new Map(this.specs),
      endpoints,
      reflectedIp: reflected ? reflected.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : null,
      warnings: [...this.warnings.values()],
      config: this.config,
      refused: { reasons: [...this.reasons], count: this.refusedCount },
    };
  }

  private take<T>(checked: Checked<T>, keep: (value: T) => AgentChange | false): AgentChange | null {
    if ('value' in checked) return keep(checked.value) || null;
    this.refuse(checked.refused);
    return null;
  }

  private bounded<T>(map: Map<string, T>, id: string, value: T, max: number, what: string): boolean {
    if (!map.has(id) && map.size >= max) {
      this.refuse(`${what}: more than ${max} from one agent; the rest are left out`);
      return false;
    }
    map.set(id, value);
    return true;
  }

  private refuse(reason: string): void {
    this.refusedCount += 1;
    if (this.reasons.length < MAX_REASONS && !this.reasons.includes(reason)) this.reasons.push(reason);
  }
}

/** The cell code of a peer: `relayed` for a peer up through another mesh node (its `via`), else its own state. */
export const peerCode = (peer: Pick<AgentPeer, 'state' | 'via'>): PeerCode => (peer.via && peer.state === pairCodes.up ? pairCodes.relayed : peer.state);

/** The view of a full list of resources (a ListResources answer). */
export function agentView(resources: readonly Resource[]): AgentView {
  const state = new AgentViewState();
  state.reset(resources);
  return state.view();
}

/** A resource's id when it is a plausible one: printable, and not oversized. */
function idOf(resource: Resource | undefined): string | null {
  const id = resource?.metadata?.id;
  return typeof id === 'string' && id.length <= MAX_FIELD && /^[\x21-\x7e]+$/.test(id) ? id : null;
}
