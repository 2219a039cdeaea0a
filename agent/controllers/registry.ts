import type { AgentConfig } from '../config/schema.js';
import { timingProfile } from '../lib/peer-state.js';
import type { HostNetwork } from '../resources/kinds.js';
import type { WireGuardBackend } from '../wireguard/types.js';
import { discoveryController, type DiscoveryConnector } from './discovery.js';
import { endpointsController } from './endpoints.js';
import { hostHealthController, type ClockState, type PortState } from './host-health.js';
import { hostNetworkController } from './host-network.js';
import { identityController, type IdentityPersistence } from './identity.js';
import { localAffiliateController } from './local-affiliate.js';
import { managerController } from './manager.js';
import { peerProbeController, type MeasureRtt } from './peer-probe.js';
import { peerSpecsController } from './peer-specs.js';
import { peerStatusController } from './peer-status.js';
import { relayPlanController } from './relay-plan.js';
import { relayReachController } from './relay-auto-reach.js';
import type { Controller } from './runtime.js';

/** What the agent's controllers need from the outside world; tests pass fakes. */
export interface ControllerDeps {
  config: AgentConfig;
  backend: WireGuardBackend;
  readHost(): Promise<HostNetwork>;
  persistence: IdentityPersistence;
  hostname: string;
  /** Connects to discovery services; without it, no discovery controller runs. */
  discovery?: DiscoveryConnector;
  /** The UDP 51820 and clock checks; without them, no host-health controller runs. */
  hostChecks?: { port(): Promise<PortState>; clock(): Promise<ClockState> };
  /** Measures the round trip to a peer's mesh address; without it, no peer-probe controller runs. */
  measureRtt?: MeasureRtt;
}

/**
 * Every controller the agent runs, in one list. Each declares the kinds it reads and writes
 * (inputs, reads, outputs, exclusive or shared); the runtime refuses a conflicting set at
 * registration and a write outside a controller's outputs at run time. `spanwise-agent run
 * --verbose` prints this list with the declarations at start, one `controller` line each.
 */
export function agentControllers(deps: ControllerDeps): Controller[] {
  const { config, backend } = deps;
  return [
    hostNetworkController(deps.readHost),
    identityController(config, deps.persistence, deps.hostname),
    endpointsController(config),
    localAffiliateController(config),
    relayPlanController(config),
    peerSpecsController(),
    peerStatusController(backend, timingProfile(config.timing)),
    managerController(config, backend),
    ...(config.relayMode === 'auto' ? [relayReachController(backend)] : []),
    ...(deps.discovery ? [discoveryController(config, deps.discovery)] : []),
    ...(deps.hostChecks ? [hostHealthController(config.mtu, deps.hostChecks)] : []),
    ...(deps.measureRtt ? [peerProbeController(deps.measureRtt)] : []),
  ];
}
