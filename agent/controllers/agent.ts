import { publicConfig } from '../config/load.js';
import type { Clock, Timers } from '../shared/clock.js';
import type { Logger } from '../shared/log.js';
import { ConfigKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { agentControllers, type ControllerDeps } from './registry.js';
import { ControllerRuntime } from './runtime.js';

/** The controllers' dependencies plus how the runtime keeps time and logs. */
export interface AgentDeps extends ControllerDeps {
  clock: Clock;
  log: Logger;
  timers?: Timers;
}

/** The assembled agent: the store and the runtime running the controllers over it. */
export interface Agent {
  store: ResourceStore;
  runtime: ControllerRuntime;
}

/** Wires the store and every controller of the registry; call `runtime.start()` to run, or `settle()` in tests. */
export function createAgent(deps: AgentDeps): Agent {
  const store = new ResourceStore(deps.clock);
  store.upsert(ConfigKind, 'kubespan', publicConfig(deps.config, deps.backend.name));
  const runtime = new ControllerRuntime(store, deps.clock, deps.log, deps.timers).add(...agentControllers(deps));
  return { store, runtime };
}
