import type { AgentConfig } from '../config/schema.js';
import { isWireGuardKey } from '../shared/wireguard-keys.js';
import type { AffiliateInfo } from '../shared/affiliate-crypto.js';
import { HealthCode, reportHealth, type HealthReport } from '../resources/health.js';
import { DiscoveredAffiliateKind, HealthKind, LocalAffiliateKind, RelayPlanKind } from '../resources/kinds.js';
import { exclusive, shared } from './access.js';
import { chooseAutoRelays, type RelayMember } from './relay-auto-choice.js';
import { isSpanwiseOs, memberLabel, type Relay } from './relay-specs.js';
import type { Controller } from './runtime.js';

/** A member of the relay choice from its affiliate, or undefined when it has no usable WireGuard key. */
export function relayMember(id: string, info: AffiliateInfo): RelayMember | undefined {
  const publicKey = info.kubespan?.publicKey ?? '';
  if (!isWireGuardKey(publicKey)) return undefined;
  return {
    label: memberLabel(id, info),
    nodeId: info.nodeId || id,
    publicKey,
    spanwise: isSpanwiseOs(info.operatingSystem),
    ...(info.spanwise ? { relay: info.spanwise } : {}),
  };
}

function invalid(id: string, info: AffiliateInfo): HealthReport {
  const label = memberLabel(id, info);
  return {
    code: HealthCode.relayDataInvalid,
    subject: label,
    severity: 'warning',
    text: `member ${label} publishes relay data out of bounds (${info.spanwiseError ?? ''}); it is neither relayed nor used as a relay`,
    evidence: { member: label, problem: info.spanwiseError ?? '' },
  };
}

/**
 * Keeps RelayPlan "cluster": the config's relays, and in automatic mode the relays every member
 * computes alike from the affiliates (this node's own included) with chooseAutoRelays. Members
 * whose relay extension is out of bounds are left out, with a warning each.
 */
export function relayPlanController(config: Pick<AgentConfig, 'relays' | 'relayMode'>): Controller {
  return {
    name: 'relay-plan',
    inputs: [DiscoveredAffiliateKind, LocalAffiliateKind],
    outputs: [exclusive(RelayPlanKind), shared(HealthKind)],
    run({ store, clock, log }) {
      const manual = [...config.relays];
      if (config.relayMode !== 'auto') {
        store.upsert(RelayPlanKind, 'cluster', { relays: manual, auto: false });
        return;
      }
      // This node's own affiliate first: discovery echoes it back, and its copy there is stale while
      // the service is unreachable (as when it runs on the relay that stopped).
      const local = store.get(LocalAffiliateKind, 'local')?.spec;
      const affiliates = [
        ...(local ? [{ id: local.id, info: local.info }] : []),
        ...store.list(DiscoveredAffiliateKind).map((a) => ({ id: a.id, info: a.spec.info })),
      ];
      const members = new Map<string, RelayMember>();
      for (const { id, info } of affiliates) {
        const member = relayMember(id, info);
        if (member && !members.has(member.publicKey)) members.set(member.publicKey, member);
      }
      const auto = chooseAutoRelays([...members.values()], manual);
      const text = (relays: readonly Relay[] = []) => relays.map((r) => `${r.between.join('-')} via ${r.via}`).join(', ') || 'none';
      const before = store.get(RelayPlanKind, 'cluster')?.spec;
      if (before?.auto && text(before.relays.slice(manual.length)) !== text(auto)) log.info('automatic relays changed', { relays: text(auto) });
      store.upsert(RelayPlanKind, 'cluster', { relays: [...manual, ...auto], auto: true });
      const bad = store.list(DiscoveredAffiliateKind).filter((a) => a.spec.info.spanwiseError !== undefined);
      reportHealth(
        store,
        [HealthCode.relayDataInvalid],
        bad.map((a) => invalid(a.id, a.spec.info)),
        clock.now(),
      );
    },
  };
}
