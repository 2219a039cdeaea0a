import type { MachineState } from '../contract/machines.js';

/**
 * A change to the inventory, told by the service that made it, after it is
 * stored. Internal to the backend: these never reach a UI (the UI gets what
 * services make of them, e.g. a fresh `mesh:snapshot`).
 */
export type DomainEvent =
  | { kind: 'cluster-created'; cluster: string }
  | { kind: 'cluster-deleted'; cluster: string }
  /** The selected cluster changed (null: none is selected any more). */
  | { kind: 'cluster-selected'; cluster: string | null }
  | { kind: 'machine-added'; cluster: string; machine: string }
  | { kind: 'machine-removed'; cluster: string; machine: string }
  | { kind: 'machine-state'; cluster: string; machine: string; state: MachineState };

/** A listener of domain events. */
export type DomainListener = (event: DomainEvent) => void;

/**
 * The backend's bus of domain events, kept apart from the UI's EventBus: its
 * transports forward every event they get, and these must stay inside.
 * A listener that throws does not undo the change nor fail its caller; the
 * error goes to `onListenerError`.
 */
export class DomainEvents {
  private readonly listeners = new Set<DomainListener>();

  constructor(
    private readonly onListenerError: (error: unknown, event: DomainEvent) => void = (error, event) =>
      console.error(`spanwise: a listener of ${event.kind} failed:`, error),
  ) {}

  emit(event: DomainEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on(listener: DomainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
