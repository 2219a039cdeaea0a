import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { ResourceType, WatchEventType, type WatchResourcesResponse } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { AgentViewState, type AgentIdentity, type AgentPeer, type AgentView } from '../agents/agent-view.js';
import type { MachineAgent } from '../agents/connect-machine.js';
import { printable } from '../remote-fields.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import type { AgentLink } from './types.js';
import { realTimers, type Timers } from '../../../agent/shared/clock.js';

/** What one agent's stream tells the mesh source. */
export interface AgentStreamSink {
  link(link: AgentLink): void;
  identity(identity: AgentIdentity): void;
  /** The agent's full peer list (after connecting, or after a delete). */
  peers(peers: AgentPeer[]): void;
  peer(peer: AgentPeer): void;
}

/** What the watch knows of one agent right now. */
export interface WatchedAgent {
  /** Whether the agent has answered since the watch started: a first snapshot, or a failure to reach it. */
  answered: boolean;
  link: AgentLink;
  /** Why the agent is not reachable (the last failure), or null. */
  error: string | null;
  /** The agent's identity and peer statuses (the watched kinds) as of its last message; empty while it is unreachable. */
  view: AgentView;
}

/** Timer functions, replaceable in tests. */

const MAX_ERROR = 300;
const unreachable: AgentLink = { reachable: false, via: null, address: null, agentVersion: null };

/**
 * Watches one agent's identity and peer statuses over WatchResources and
 * reconnects with backoff when the stream or the SSH tunnel under it ends.
 */
export class AgentWatcher {
  private readonly state = new AgentViewState();
  private link: AgentLink = unreachable;
  private error: string | null = null;
  private answered = false;
  private answer: () => void = () => undefined;
  /** Resolves at the agent's first answer: its first snapshot, or the first failure to reach it. */
  readonly firstAnswer = new Promise<void>((resolve) => (this.answer = resolve));
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

  /** What the watch knows of the agent now. */
  watched(): WatchedAgent {
    return { answered: this.answered, link: { ...this.link }, error: this.error, view: this.state.view() };
  }

  /** Handles one message of the stream (exposed for tests). */
  handle(message: WatchResourcesResponse): void {
    this.attempt = 0;
    const resources = Array.isArray(message.resources) ? message.resources : [];
    if (message.type === WatchEventType.WATCH_EVENT_TYPE_SNAPSHOT) {
      this.state.reset(resources);
      const identity = this.state.currentIdentity();
      if (identity) this.sink.identity(identity);
      this.sink.peers(this.state.peerList());
      this.settle();
      return;
    }
    const deleted = message.type === WatchEventType.WATCH_EVENT_TYPE_DELETED;
    for (const resource of resources) {
      if (deleted) {
        if (this.state.remove(resource) && resource.metadata?.type === ResourceType.RESOURCE_TYPE_PEER_STATUS) this.sink.peers(this.state.peerList());
        continue;
      }
      const change = this.state.upsert(resource);
      if (change?.kind === 'identity') this.sink.identity(change.identity);
      else if (change?.kind === 'peer') this.sink.peer(change.peer);
    }
  }

  private settle(): void {
    this.answered = true;
    this.answer();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const agent = await this.open();
      if (this.stopped) return void (await agent.close());
      this.agent = agent;
      const { connection } = agent;
      this.error = null;
      this.link = { reachable: true, via: connection.via, address: null, agentVersion: connection.facts.agentVersion || null };
      this.sink.link(this.link);
      const stream = connection.client.watchResources({ types: [ResourceType.RESOURCE_TYPE_IDENTITY, ResourceType.RESOURCE_TYPE_PEER_STATUS] }, new Metadata());
      this.stream = stream;
      stream.on('data', (message: WatchResourcesResponse) => this.handle(message));
      stream.on('error', (error: Error) => this.lost(`the watch stream failed: ${error.message}`));
      stream.on('end', () => this.lost('the agent ended the watch stream'));
      void agent.lost.then(() => this.lost('the SSH session under the tunnel closed'));
    } catch (error) {
      this.lost((error as Error).message);
    }
  }

  private lost(why: string): void {
    if (this.stopped || this.timer !== null) return;
    this.error = printable(why, MAX_ERROR);
    this.link = unreachable;
    this.state.clear();
    this.sink.link(this.link);
    this.settle();
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
