import { connect } from 'node:net';
import { silentLogger, stderrLogger, type DiscoveryServer, type Logger } from '../../../agent/discovery/server/index.js';
import { SpanwiseError, toEnvelope, type ErrorEnvelope } from '../../../agent/shared/errors.js';
import type { ClusterSummary, EmbeddedDiscoveryStatus } from '../../contract/clusters.js';
import type { EventBus } from '../events.js';
import type { ClusterRow } from '../store/clusters.js';
import { serveEmbedded } from './embedded-server.js';
import { carryOverState, lockFileOf, removeClusterFiles, stateFileOf } from './files.js';
import { ServingLock } from './serving-lock.js';

/**
 * When the backend serves discovery: `follow` (the app and `spanwise web`) serves the current
 * cluster whenever its placement is embedded and follows cluster changes; `on-demand` (one-shot
 * CLI commands) serves only when a command asks, until the process closes the services.
 */
export type DiscoveryStartPolicy = 'follow' | 'on-demand';

/** What the embedded discovery needs: the data dir, the clusters, and where to tell the user. */
export interface EmbeddedDiscoveryDeps {
  dataDir: string;
  clusters: { current(): ClusterRow; list(): ClusterSummary[] };
  policy: DiscoveryStartPolicy;
  /** Notices go to the UI as `app:notice`. */
  events?: EventBus;
  /** The backend's domain events: a cluster created, selected or deleted re-syncs at once. */
  inventory?: { on(listener: (event: { kind: string; cluster?: string | null }) => void): () => void };
  /** The server's own log; warnings and errors on stderr by default. */
  logger?: Logger;
  /** How often `follow` re-reads the current cluster (another process on the data dir may change it); default 5 s. */
  pollMs?: number;
  /** How long a failed start (or a cluster served elsewhere) waits before the next try; default 15 s. */
  retryMs?: number;
}

interface Wanted {
  cluster: string;
  port: number;
}

interface View extends Wanted {
  state: EmbeddedDiscoveryStatus['state'];
  error: ErrorEnvelope | null;
  at: number;
}

const same = (a: Wanted | null, b: Wanted | null) => a !== null && b !== null && a.cluster === b.cluster && a.port === b.port;

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The project's discovery server run inside the desktop backend for the current cluster. */
export class EmbeddedDiscovery {
  private serving: (Wanted & { server: DiscoveryServer; lock: ServingLock }) | null = null;
  private view: View | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  private readonly logger: Logger;

  constructor(private readonly deps: EmbeddedDiscoveryDeps) {
    const stderr = stderrLogger(false, 'json');
    this.logger = deps.logger ?? { ...silentLogger, warn: stderr.warn, error: stderr.error };
  }

  /** Starts following the current cluster (policy `follow`; a no-op otherwise). */
  follow(): void {
    if (this.deps.policy !== 'follow' || this.timer || this.closed) return;
    this.timer = setInterval(() => this.kick(false), this.deps.pollMs ?? 5000);
    this.timer.unref();
    this.unsubscribe = this.deps.inventory?.on((event) => {
      if (event.kind === 'cluster-deleted' && event.cluster && event.cluster !== this.serving?.cluster)
        this.forget(event.cluster).catch((error: Error) => this.logger.warn('discovery files of a deleted cluster kept', { error: error.message }));
      if (event.kind.startsWith('cluster-')) this.kick(true);
    });
    this.kick(false);
  }

  private kick(force: boolean): void {
    this.sync(force).catch((error: Error) => this.logger.error('embedded discovery sync failed', { error: error.message }));
  }

  /** Brings the server in line with the current cluster now; `force` retries a failed start at once. */
  sync(force = false): Promise<EmbeddedDiscoveryStatus | null> {
    return this.serial(async () => {
      if (this.deps.policy === 'follow') await this.reconcile(this.closed ? null : this.wanted(), force);
      return this.status();
    });
  }

  /**
   * Makes sure the cluster's discovery is served (here or by another Spanwise process on this data
   * dir) before nodes are pointed at it; throws the start error (port in use, ...) otherwise.
   */
  async ensureServing(cluster: string, port: number): Promise<EmbeddedDiscoveryStatus> {
    const status = await this.serial(async () => {
      const want = { cluster, port };
      if (this.deps.policy === 'follow') await this.reconcile(this.wanted(), true);
      else if (!same(this.serving, want)) await this.reconcile(want, true);
      return this.status();
    });
    if (status && status.cluster === cluster && (status.state === 'running' || status.state === 'elsewhere')) return status;
    const error = status?.cluster === cluster ? status.error : null;
    throw new SpanwiseError(
      error?.code ?? 'DISCOVERY_EMBEDDED_NOT_RUNNING',
      error?.message ?? `this app's discovery does not serve cluster '${cluster}' (is it the current cluster?)`,
      error?.hint ?? 'select the cluster, then re-run',
    );
  }

  /** The state for the current cluster, or null when it does not use embedded discovery. */
  status(): EmbeddedDiscoveryStatus | null {
    const view = this.view;
    if (!view) return null;
    const server = same(this.serving, view) ? this.serving?.server : undefined;
    return {
      cluster: view.cluster,
      port: view.port,
      state: view.state,
      affiliates: server?.stats().affiliates ?? 0,
      stateFile: stateFileOf(this.deps.dataDir, view.cluster),
      error: view.error,
    };
  }

  /** The running server of this process (tests read its store), or null. */
  get server(): DiscoveryServer | null {
    return this.serving?.server ?? null;
  }

  /** Stops serving (a final snapshot is written) and stops following. */
  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    return this.serial(() => this.reconcile(null, false));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private wanted(): Wanted | null {
    try {
      const row = this.deps.clusters.current();
      return row.discovery.mode === 'embedded' ? { cluster: row.name, port: row.discovery.port } : null;
    } catch {
      return null;
    }
  }

  private async reconcile(want: Wanted | null, force: boolean): Promise<void> {
    if (this.serving && !same(this.serving, want)) await this.stopServing();
    if (!want) {
      this.view = null;
      return;
    }
    if (this.serving) return;
    const retryMs = this.deps.retryMs ?? 15_000;
    if (!force && this.view && same(this.view, want) && Date.now() - this.view.at < retryMs) return;
    await this.start(want);
  }

  private async start(want: Wanted): Promise<void> {
    const { dataDir } = this.deps;
    try {
      const attempt = await ServingLock.acquire(lockFileOf(dataDir, want.cluster), want.port, async (owner) => !(await answers(owner.port)));
      if (!attempt.acquired) {
        this.setView(
          want,
          'elsewhere',
          null,
          `Discovery for cluster ${want.cluster} is served by another Spanwise process on this data dir (pid ${attempt.owner.pid}, port ${attempt.owner.port}).`,
        );
        return;
      }
      try {
        const stateFile = stateFileOf(dataDir, want.cluster);
        await carryOverState(stateFile, Date.now());
        const server = await serveEmbedded(want.port, want.cluster, stateFile, this.logger);
        this.serving = { ...want, server, lock: attempt.lock };
      } catch (error) {
        attempt.lock.release();
        throw error;
      }
      this.setView(want, 'running', null, `Discovery for cluster ${want.cluster} runs in this app on TCP ${want.port}.`);
    } catch (error) {
      const envelope = toEnvelope(error);
      this.setView(want, 'failed', envelope, `${envelope.message}${envelope.hint ? `. Fix: ${envelope.hint}` : ''}`);
    }
  }

  private async stopServing(): Promise<void> {
    const serving = this.serving;
    if (!serving) return;
    this.serving = null;
    try {
      await serving.server.stop();
    } finally {
      serving.lock.release();
    }
    let deleted = false;
    try {
      deleted = !this.closed && !this.deps.clusters.list().some((c) => c.name === serving.cluster);
    } catch {
      deleted = false;
    }
    if (deleted) await removeClusterFiles(this.deps.dataDir, serving.cluster);
  }

  /** A deleted cluster served by no one: its snapshot and lock go too. */
  private async forget(cluster: string): Promise<void> {
    const owner = await ServingLock.acquire(lockFileOf(this.deps.dataDir, cluster), 0, async () => false);
    if (owner.acquired) await removeClusterFiles(this.deps.dataDir, cluster);
  }

  private setView(want: Wanted, state: View['state'], error: ErrorEnvelope | null, text: string): void {
    const before = this.view && same(this.view, want) ? this.view : null;
    this.view = { ...want, state, error, at: Date.now() };
    const changed = before?.state !== state || before.error?.code !== error?.code;
    const worthSaying = state === 'failed' || state === 'elsewhere' || before?.state === 'failed';
    if (changed && worthSaying) this.deps.events?.emit('app:notice', { level: state === 'failed' ? 'error' : 'info', text });
  }
}
