import { realTimers, type Clock, type Timers } from '../shared/clock.js';
import type { Logger } from '../shared/log.js';
import type { ResourceStore, StoreHandle } from '../resources/store.js';
import { checkOwnership, scopedStore, type ControllerDeclaration } from './access.js';

/** What a controller gets on each run. */
export interface ControllerContext {
  /** The store, limited to the kinds the controller declared. */
  store: StoreHandle;
  clock: Clock;
  log: Logger;
  /** Ask for another run no later than `at` (ms since the epoch), e.g. when a timeout expires. */
  requeueAt(at: number): void;
}

/**
 * A controller: reads its declared inputs, writes its declared outputs (see ControllerDeclaration).
 * It runs when one of its inputs changes and at least every `intervalMs`; runs never overlap; a
 * change during a run triggers one more run.
 */
export interface Controller extends ControllerDeclaration {
  intervalMs?: number;
  run(ctx: ControllerContext): Promise<void> | void;
  /**
   * Releases what runs left open (connections, watches). Called when the runtime stops: first while
   * a run may be in flight (so what it waits on fails at once), then again once no run is.
   */
  stop?(): void;
}

interface Slot {
  controller: Controller;
  store: StoreHandle;
  dirty: boolean;
  running?: Promise<void>;
  timer?: unknown;
  failures: number;
  requeue?: number;
  /** Ran at least once since start (successfully or not). */
  ran?: boolean;
}

const MAX_BACKOFF_MS = 30_000;

const kindNames = (kinds: readonly { name: string }[]) => kinds.map((k) => k.name).join(',');

/** Runs controllers over a store; see Controller for the rules. Timers default to real ones; tests pass a fake and drive it with `settle`. */
export class ControllerRuntime {
  private readonly slots: Slot[] = [];
  private readonly unsubscribe: () => void;
  private started = false;
  private markFirstPass: () => void = () => {};
  /** Resolves once every controller has run once (successfully or not): the agent's first reconcile is done. */
  readonly firstPass = new Promise<void>((resolve) => (this.markFirstPass = resolve));

  constructor(
    private readonly store: ResourceStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly timers: Timers = realTimers,
  ) {
    this.unsubscribe = store.subscribe((event) => {
      for (const slot of this.slots) {
        if (slot.controller.inputs.some((k) => k.name === event.resource.kind.name)) this.markDirty(slot, 0);
      }
    });
  }

  /** Registers controllers; refuses (throws) a duplicate name or a conflicting exclusive output. */
  add(...controllers: Controller[]): this {
    checkOwnership([...this.slots.map((s) => s.controller), ...controllers]);
    for (const controller of controllers) this.slots.push({ controller, store: scopedStore(this.store, controller), dirty: true, failures: 0 });
    return this;
  }

  /** The registered controllers, in registration order. */
  get controllers(): readonly Controller[] {
    return this.slots.map((s) => s.controller);
  }

  start(): void {
    this.started = true;
    for (const { controller: c } of this.slots) {
      this.log.debug('controller', {
        name: c.name,
        inputs: kindNames(c.inputs),
        reads: kindNames(c.reads ?? []),
        outputs: c.outputs.map((o) => `${o.kind.name}${o.exclusive ? '' : ' (shared)'}`).join(','),
      });
    }
    for (const slot of this.slots) this.markDirty(slot, 0);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe();
    for (const slot of this.slots) if (slot.timer !== undefined) this.timers.clear(slot.timer);
    for (const slot of this.slots) if (slot.running) slot.controller.stop?.();
    await Promise.all(this.slots.map((s) => s.running));
    for (const slot of this.slots) slot.controller.stop?.();
  }

  /** Runs every dirty controller until none is dirty (tests and one-shot commands); returns the rounds used. */
  async settle(maxRounds = 50): Promise<number> {
    for (let round = 1; round <= maxRounds; round += 1) {
      const dirty = this.slots.filter((s) => s.dirty || (s.requeue !== undefined && s.requeue <= this.clock.now()));
      if (dirty.length === 0) return round - 1;
      for (const slot of dirty) await this.runOnce(slot);
    }
    throw new Error(`controllers did not settle in ${maxRounds} rounds`);
  }

  /** Marks every controller dirty (e.g. after the clock moved in a test). */
  touchAll(): void {
    for (const slot of this.slots) slot.dirty = true;
  }

  private markDirty(slot: Slot, delayMs: number): void {
    slot.dirty = true;
    if (!this.started || slot.running) return;
    if (slot.timer !== undefined) this.timers.clear(slot.timer);
    slot.timer = this.timers.set(() => {
      slot.timer = undefined;
      void this.loop(slot);
    }, delayMs);
  }

  private async loop(slot: Slot): Promise<void> {
    if (slot.running) return;
    slot.running = (async () => {
      while (slot.dirty && this.started) await this.runOnce(slot);
    })();
    await slot.running;
    slot.running = undefined;
    if (!this.started) return;
    if (slot.dirty) return void this.loop(slot);
    this.scheduleNext(slot);
  }

  private scheduleNext(slot: Slot): void {
    const now = this.clock.now();
    const backoff = slot.failures ? Math.min(MAX_BACKOFF_MS, 500 * 2 ** (slot.failures - 1)) : undefined;
    const candidates = [slot.controller.intervalMs, backoff, slot.requeue === undefined ? undefined : slot.requeue - now].filter(
      (v): v is number => v !== undefined,
    );
    if (candidates.length === 0) return;
    const delay = Math.max(0, Math.min(...candidates));
    if (slot.timer !== undefined) this.timers.clear(slot.timer);
    slot.timer = this.timers.set(() => {
      slot.timer = undefined;
      slot.dirty = true;
      void this.loop(slot);
    }, delay);
  }

  private async runOnce(slot: Slot): Promise<void> {
    slot.dirty = false;
    slot.requeue = undefined;
    const ctx: ControllerContext = {
      store: slot.store,
      clock: this.clock,
      log: this.log,
      requeueAt: (at) => {
        slot.requeue = slot.requeue === undefined ? at : Math.min(slot.requeue, at);
      },
    };
    try {
      await slot.controller.run(ctx);
      slot.failures = 0;
    } catch (error) {
      slot.failures += 1;
      this.log.error('controller failed', {
        controller: slot.controller.name,
        error: error instanceof Error ? error.message : String(error),
        failures: slot.failures,
      });
    }
    slot.ran = true;
    if (this.slots.every((s) => s.ran)) this.markFirstPass();
  }
}
