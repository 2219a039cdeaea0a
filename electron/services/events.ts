import type { EventChannel, Events } from '../contract/index.js';

/** A listener for every event the backend pushes to the UI. */
export type EventSink = <E extends EventChannel>(event: E, payload: Events[E]) => void;

/** The backend's typed event bus: services emit, transports (IPC, WebSocket) forward. */
export class EventBus {
  private readonly sinks = new Set<EventSink>();

  emit<E extends EventChannel>(event: E, payload: Events[E]): void {
    for (const sink of this.sinks) sink(event, payload);
  }

  /** Adds a sink; returns a function that removes it. */
  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
