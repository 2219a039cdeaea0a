import type { ClusterService } from './clusters/cluster-service.js';
import type { DomainEvents } from './domain-events.js';
import type { MachineStore } from './store/machines.js';

/** What the schedule needs: who diagnoses, where the inventory and the interval setting live, and how time passes. */
export interface DiagnosisScheduleDeps {
  diagnosis: { run(): Promise<unknown> };
  clusters: Pick<ClusterService, 'list' | 'settings'>;
  machineStore: Pick<MachineStore, 'list'>;
  inventory: DomainEvents;
  /** How long after the last machine finishes onboarding the diagnosis starts (several often finish together). */
  settleMs?: number;
  /** How often the interval is checked against the time of the last run. */
  tickMs?: number;
  now?: () => number;
}

/**
 * Runs a diagnosis by itself while the app (or `spanwise web`) is open: once onboarding settles
 * (no machine of the current cluster still onboarding, at least one onboarded), and every
 * `diagnosisIntervalMinutes` of the cluster's settings (0: never on a timer). One run at a time.
 */
export class DiagnosisSchedule {
  private lastRun: number;
  private running: Promise<void> | null = null;
  private settle: NodeJS.Timeout | null = null;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;

  constructor(private readonly deps: DiagnosisScheduleDeps) {
    this.now = deps.now ?? Date.now;
    this.lastRun = this.now();
    this.unsubscribe = deps.inventory.on((event) => {
      if (event.kind === 'machine-state' && event.state === 'onboarded') this.afterOnboarding();
    });
    this.ticker = setInterval(() => this.tick(), deps.tickMs ?? 60_000);
    this.ticker.unref();
  }

  /** The run in progress, if any (tests wait on it). */
  current(): Promise<void> | null {
    return this.running;
  }

  stop(): void {
    this.unsubscribe();
    clearInterval(this.ticker);
    if (this.settle) clearTimeout(this.settle);
  }

  private afterOnboarding(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      const machines = this.machines();
      if (!machines.some((m) => m.state === 'onboarding')) this.runNow();
    }, this.deps.settleMs ?? 3000);
    this.settle.unref();
  }

  private tick(): void {
    const cluster = this.currentCluster();
    const minutes = cluster ? this.deps.clusters.settings(cluster).diagnosisIntervalMinutes : 0;
    if (minutes > 0 && this.now() - this.lastRun >= minutes * 60_000) this.runNow();
  }

  private runNow(): void {
    if (this.running || !this.machines().some((m) => m.state === 'onboarded')) return;
    this.lastRun = this.now();
    this.running = this.deps.diagnosis
      .run()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.running = null;
      });
  }

  private currentCluster(): string | null {
    return this.deps.clusters.list().find((c) => c.current)?.name ?? null;
  }

  private machines() {
    const cluster = this.currentCluster();
    return cluster ? this.deps.machineStore.list(cluster) : [];
  }
}
