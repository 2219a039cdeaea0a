import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { ResourceType, WatchEventType, type Resource, type WatchResourcesResponse } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import { validateIdentity, validatePeer, type ValidPeer } from './peer-input.js';
import type { AgentLink } from './types.js';

/** What one agent's stream tells the mesh source. */
export interface AgentStreamSink {
  link(link: AgentLink): void;
  identity(publicKey: string, address: string | null): void;
  /** The agent's full peer list (after connecting, or after a delete). */
  peers(peers: ValidPeer[]): void;
  peer(peer: ValidPeer): void;
}

/** Timer functions, replaceable in tests. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

/** The most peers kept for one agent: a KubeSpan cluster holds at most 1024 members, so more is an agent lying. */
export const MAX_PEERS_PER_AGENT = 1024;

/**
 * Watches one agent's identity and peer statuses over WatchResources and
 * reconnects with backoff when the stream or the SSH tunnel under it ends.
 */
export class AgentWatcher {
  private readonly peers = new Map<string, ValidPeer>();
  private agent: MachineAgent | null = null;
  private stream: ClientReadableStream<WatchResourcesResponse> | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = true;

  constructor(
    private readonly open: () => Promise<MachineAgent>,
    private readonly sink: AgentStreamSink,
    private readonly options: { backoff?: BackoffPolicy; timers?: Timers } = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) (this.options.timers ?? realTimers).clear(this.timer);
    this.timer = null;
    await this.teardown();
  }

  /** Tries again now when waiting to reconnect (e.g. the node was just onboarded); a live stream is kept. */
  reconnect(): void {
    if (this.stopped || this.timer === null) return;
    (this.options.timers ?? realTimers).clear(this.timer);
    this.timer = null;
    this.attempt = 0;
    void this.connect();
  }

  /** Handles one message of the stream (exposed for tests). */
  handle(message: WatchResourcesResponse): void {
    this.attempt = 0;
    if (message.type === WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT) {
      this.peers.clear();
      for (const resource of message.resources) this.take(resource);
      this.sink.peers([...this.peers.values()]);
      return;
    }
    const deleted = message.type === WatchEventType.WATCH_EVENT_TYPE_DELETED;
    for (const resource of message.resources) {
      if (deleted && resource.metadata?.type === ResourceType.RESOURCE_TYPE_PEER_STATUS) {
        if (this.peers.delete(resource.metadata.id)) this.sink.peers([...this.peers.values()]);
      } else if (!deleted) {
        const peer = this.take(resource);
        if (peer) this.sink.peer(peer);
      }
    }
  }

  private take(resource: Resource): ValidPeer | null {
    const spec = resource.spec;
    if (spec?.$case === 'identity') {
      const identity = validateIdentity(spec.value);
      if (identity) this.sink.identity(identity.publicKey, identity.address);
      return null;
    }
    if (spec?.$case !== 'peerStatus') return null;
    const peer = validatePeer(spec.value);
    if (!peer || (!this.peers.has(peer.publicKey) && this.peers.size >= MAX_PEERS_PER_AGENT)) return null;
    this.peers.set(peer.publicKey, peer);
    return peer;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const agent = await this.open();
      if (this.stopped) return void (await agent.close());
      this.agent = agent;
      const { connection } = agent;
      this.sink.link({ reachable: true, via: connection.via, address: null, agentVersion: connection.facts.agentVersion || null });
      const stream = connection.client.watchResources({ types: [ResourceType.RESOURCE_TYPE_IDENTITY, ResourceType.RESOURCE_TYPE_PEER_STATUS] }, new Metadata());
      this.stream = stream;
      stream.on('data', (message: WatchResourcesResponse) => this.handle(message));
      stream.on('error', () => this.lost());
      stream.on('end', () => this.lost());
      void agent.lost.then(() => this.lost());
    } catch {
      this.lost();
    }
  }

  private lost(): void {
    if (this.stopped || this.timer !== null) return;
    this.sink.link({ reachable: false, via: null, address: null, agentVersion: null });
    void this.teardown();
    const delay = backoffDelay(this.attempt, this.options.backoff ?? defaultBackoff);
    this.attempt += 1;
    const timers = this.options.timers ?? realTimers;
    this.timer = timers.set(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async teardown(): Promise<void> {
    const stream = this.stream;
    const agent = this.agent;
    this.stream = null;
    this.agent = null;
    stream?.removeAllListeners();
    stream?.on('error', () => undefined);
    stream?.cancel();
    await agent?.close().catch(() => undefined);
  }
}
