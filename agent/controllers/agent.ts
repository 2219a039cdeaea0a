import type { AgentConfig } from '../config/schema.js';
import { publicConfig } from '../config/load.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/log.js';
import { timingProfile } from '../lib/peer-state.js';
import { ConfigKind, type HostNetwork } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import type { WireGuardBackend } from '../wireguard/types.js';
import { endpointsController } from './endpoints.js';
import { hostNetworkController } from './host-network.js';
import { identityController, type IdentityPersistence } from './identity.js';
import { localAffiliateController } from './local-affiliate.js';
import { managerController } from './manager.js';
import { peerSpecsController } from './peer-specs.js';
import { peerStatusController } from './peer-status.js';
import { ControllerRuntime, type Controller, type Timers } from './runtime.js';

/** What the agent's controllers need from the outside world; tests pass fakes. */
export interface AgentDeps {
  config: AgentConfig;
  clock: Clock;
  log: Logger;
  backend: WireGuardBackend;
  readHost(): Promise<HostNetwork>;
  persistence: IdentityPersistence;
  hostname: string;
  timers?: Timers;
  /** More controllers (discovery, health checks) added by the caller. */
  extra?: Controller[];
}

/** The assembled agent: the store and the runtime running the controllers over it. */
export interface Agent {
  store: ResourceStore;
  runtime: ControllerRuntime;
}

/** Wires the store and every core controller; call `runtime.start()` to run, or `settle()` in tests. */
export function createAgent(deps: AgentDeps): Agent {
  const store = new ResourceStore(deps.clock);
  store.upsert(ConfigKind, 'kubespan', publicConfig(deps.config, deps.backend.name));
  const profile = timingProfile(deps.config.timing);
  const runtime = new ControllerRuntime(store, deps.clock, deps.log, deps.timers).add(
    hostNetworkController(deps.readHost),
    identityController(deps.config, deps.persistence, deps.hostname),
    endpointsController(deps.config),
    localAffiliateController(deps.config),
    peerSpecsController(),
    peerStatusController(deps.backend, profile),
    managerController(deps.config, deps.backend),
    ...(deps.extra ?? []),
  );
  return { store, runtime };
}
