import { isIP } from 'node:net';
import { PeerState, type PeerSpec, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import type { AgentConfig } from '../config/schema.js';
import { SpanwiseError } from '../shared/errors.js';
import { parsePrefix, type IpPrefix } from '../shared/ip.js';
import { IpSet } from '../lib/ipset.js';
import { HealthCode, reportHealth, type HealthReport } from '../resources/health.js';
import { HealthKind, IdentityKind, PeerSpecKind, PeerStatusKind, PrivateKeyKind, RelayPlanKind, RelayReachKind } from '../resources/kinds.js';
import { KUBESPAN, type DeviceConfig, type UnderlayService, type WireGuardBackend } from '../wireguard/types.js';
import { shared } from './access.js';
import { forwardedPairs, type Relay } from './relay-specs.js';
import type { Controller } from './runtime.js';

/** Everything the manager needs to compute the desired link. */
export interface ManagerInputs {
  privateKey: string;
  presharedKey: string;
  mtu: number;
  /** The node ULA, e.g. "fd7f:...:8169". */
  address: string;
  /** The cluster ULA /64. */
  subnet: string;
  allowDownPeerBypass: boolean;
  specs: readonly PeerSpec[];
  statuses: ReadonlyMap<string, PeerStatus>;
  /** This node's name and the relays in force: the pairs it relays are forwarded between. */
  ownName?: string;
  relays?: readonly Relay[];
  /** Where relayed peers that keep their endpoints (automatic mode) are dialled, by public key. */
  dial?: Readonly<Record<string, string>>;
  /** The prefixes this node advertises besides its addresses (pod networks). */
  localPrefixes?: string[];
  /** TCP services reached over the underlay (see DeviceConfig.underlayServices). */
  underlayServices?: UnderlayService[];
}

/**
 * The discovery endpoints given by address, as underlay services (a name is left to the mesh: its
 * address is not known when the ruleset is written, and a service by name is rarely a mesh node).
 */
export function discoveryServices(urls: readonly string[]): UnderlayService[] {
  const services = new Map<string, UnderlayService>();
  for (const url of urls) {
    const parsed = new URL(url);
    const address = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(address) === 0) continue;
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    services.set(`${address} ${port}`, { address, port });
  }
  return [...services.values()];
}

/**
 * The desired mesh link: every peer with its allowed IPs and current endpoint (the status's choice,
 * else the first candidate); a peer that is not up is redialled when its endpoint changes. The routed set is the union of the peers' allowed IPs minus the
 * cluster ULA /64; with allowDownPeerBypass only up peers count, so traffic to a down peer leaves in clear.
 * A relayed peer is no WireGuard peer (its addresses are in the relay's allowed IPs), unless it kept
 * its endpoints (automatic mode): then it is one with no allowed IPs, dialled on `dial`, so a direct
 * handshake can show the path is back. On the relay node the pairs it relays are forwarded.
 */
export function buildDeviceConfig(inputs: ManagerInputs): DeviceConfig {
  const subnet = parsePrefix(inputs.subnet) as IpPrefix;
  const routedPrefixes: IpPrefix[] = [];
  const direct = inputs.specs.filter((spec) => !spec.viaPublicKey);
  const dialled = inputs.specs
    .filter((spec) => spec.viaPublicKey && spec.endpoints.length)
    .map((spec) => ({ publicKey: spec.publicKey, endpoint: inputs.dial?.[spec.publicKey] ?? spec.endpoints[0], allowedIps: [] }));
  const peers = direct.map((spec) => {
    const status = inputs.statuses.get(spec.publicKey);
    if (!inputs.allowDownPeerBypass || status?.state === PeerState.PEER_STATE_UP) {
      for (const cidr of spec.allowedIps) {
        const p = parsePrefix(cidr);
        if (p) routedPrefixes.push(p);
      }
    }
    const redial = status !== undefined && status.state !== PeerState.PEER_STATE_UP;
    return { publicKey: spec.publicKey, endpoint: status?.endpoint || spec.endpoints[0], allowedIps: spec.allowedIps, ...(redial ? { redial } : {}) };
  });
  const routed = IpSet.of(routedPrefixes)
    .subtract(IpSet.of([subnet]))
    .toStrings();
  return {
    privateKey: inputs.privateKey,
    presharedKey: inputs.presharedKey,
    listenPort: KUBESPAN.port,
    mtu: inputs.mtu,
    address: `${inputs.address}/${subnet.bits}`,
    peers: [...peers, ...dialled],
    forwarded: forwardedPairs(inputs.specs, inputs.relays ?? [], inputs.ownName ?? ''),
    localPrefixes: inputs.localPrefixes ?? [],
    routed: { v4: routed.filter((r) => !r.includes(':')), v6: routed.filter((r) => r.includes(':')) },
    underlayServices: inputs.underlayServices ?? [],
  };
}

function failureReport(error: unknown): HealthReport {
  const message = error instanceof Error ? error.message : String(error);
  if (/address already in use|EADDRINUSE/i.test(message)) {
    return {
      code: HealthCode.portTaken,
      severity: 'error',
      text: `UDP ${KUBESPAN.port} is used by another program; the mesh cannot listen`,
      evidence: { error: message },
    };
  }
  return {
    code: HealthCode.wireguardFailed,
    severity: 'error',
    text: `programming the ${KUBESPAN.link} link failed: ${message}`,
    evidence: { error: message },
  };
}

/** Programs WireGuard, routes and nftables from the peer specs and statuses. */
export function managerController(config: AgentConfig, backend: WireGuardBackend): Controller {
  let removed = false;
  return {
    name: 'manager',
    inputs: [IdentityKind, PrivateKeyKind, PeerSpecKind, PeerStatusKind, RelayPlanKind, RelayReachKind],
    outputs: [shared(HealthKind)],
    intervalMs: 30_000,
    async run({ store, clock, log }) {
      if (!config.enabled) {
        if (!removed) await backend.remove();
        removed = true;
        return;
      }
      const identity = store.get(IdentityKind, 'local')?.spec;
      const key = store.get(PrivateKeyKind, 'local')?.spec;
      const plan = store.get(RelayPlanKind, 'cluster')?.spec;
      if (!identity || !key || !plan) return;
      const desired = buildDeviceConfig({
        privateKey: key.privateKey,
        presharedKey: config.cluster.secret.trim(),
        mtu: config.mtu,
        address: identity.address,
        subnet: identity.subnet,
        allowDownPeerBypass: config.allowDownPeerBypass,
        specs: store.list(PeerSpecKind).map((s) => s.spec),
        statuses: new Map(store.list(PeerStatusKind).map((s) => [s.id, s.spec])),
        ownName: identity.hostname,
        relays: plan.relays,
        dial: store.get(RelayReachKind, 'local')?.spec.dial,
        localPrefixes: config.advertiseKubernetesNetworks ? config.podCIDRs : [],
        underlayServices: discoveryServices(config.discovery.endpoints),
      });
      const codes = [HealthCode.portTaken, HealthCode.wireguardFailed];
      try {
        const report = await backend.apply(desired);
        if (report.commands) log.info('mesh updated', { backend: backend.name, ...report });
        reportHealth(store, codes, [], clock.now());
      } catch (error) {
        reportHealth(store, codes, [failureReport(error)], clock.now());
        throw error instanceof SpanwiseError ? error : new SpanwiseError('WIREGUARD_APPLY_FAILED', error instanceof Error ? error.message : String(error));
      }
    },
  };
}
