import type { FirewallOutputs } from './inspect.js';
import { items, parseBlocks, type FirewalldBlock } from './firewalld-parse.js';
import { judgeBlock, type ServicePorts, type ZoneEnd } from './firewalld-zone.js';
import { packetOf } from './iptables.js';
import type { Packet } from './ipt-packet.js';
import { allowAll, type PortQuery, type RuleVerdict } from './types.js';

/** Ports of firewalld's predefined services, for services whose `--info-service` was not read. */
const BUILTIN_SERVICES: Record<string, string[]> = {
  wireguard: ['51820/udp'],
  ssh: ['22/tcp'],
  http: ['80/tcp'],
  https: ['443/tcp'],
  http3: ['443/udp'],
  'dhcpv6-client': ['546/udp'],
  dhcp: ['67/udp'],
  dns: ['53/tcp', '53/udp'],
  cockpit: ['9090/tcp'],
  mdns: ['5353/udp'],
  ntp: ['123/udp'],
  'kube-apiserver': ['6443/tcp'],
  kubelet: ['10250/tcp'],
};

/** firewalld's configuration as read from the host. */
interface Firewalld {
  zones: FirewalldBlock[];
  policies: FirewalldBlock[];
  defaultZone: string | null;
  services: ServicePorts;
}

function load(out: FirewallOutputs): Firewalld | string {
  const zones = parseBlocks(out.firewalldZones ?? '', 'firewall-cmd --list-all-zones');
  if (!zones.ok) return zones.reason;
  if (zones.blocks.length === 0) return 'firewall-cmd --list-all-zones printed no zone';
  const policies = parseBlocks(out.firewalldPolicies ?? '', 'firewall-cmd --list-all-policies');
  const info = parseBlocks(out.firewalldServices ?? '', 'firewall-cmd --info-service');
  const active = parseBlocks(out.firewalldActiveZones ?? '', 'firewall-cmd --get-active-zones');
  const named = (out.firewalldDefaultZone ?? '').trim();
  const defaultZone = /^[A-Za-z0-9_.+-]{1,64}$/.test(named) ? named : (zones.blocks.find((z) => z.flags.includes('default'))?.name ?? null);
  const infos = new Map((info.ok ? info.blocks : []).map((b) => [b.name, b]));
  const portsOf = (name: string, depth: number): string[] | null => {
    const block = infos.get(name);
    if (!block) return BUILTIN_SERVICES[name] ?? null;
    const ports = [...items(block, 'ports'), ...items(block, 'protocols').map((proto) => `0-65535/${proto}`)];
    for (const inc of items(block, 'includes')) {
      const more = depth < 8 ? portsOf(inc, depth + 1) : null;
      if (more === null) return null;
      ports.push(...more);
    }
    return ports;
  };
  const services: ServicePorts = (name) => portsOf(name, 0);
  const zoneBlocks = zones.blocks.map((z) => {
    const bound = active.ok ? active.blocks.find((a) => a.name === z.name) : undefined;
    if (!bound || z.fields.get('interfaces')) return z;
    return { ...z, fields: new Map([...z.fields, ['interfaces', bound.fields.get('interfaces') ?? '']]) };
  });
  return { zones: zoneBlocks, policies: policies.ok ? policies.blocks : [], defaultZone, services };
}

const has = (block: FirewalldBlock, key: string, zone: string) => items(block, key).some((z) => z === 'ANY' || z === zone);
const prio = (b: FirewalldBlock) => Number(b.fields.get('priority') ?? '-1') || -1;

function verdictOf(end: ZoneEnd, anchor: string): RuleVerdict | null {
  if (end.end === 'continue') return null;
  if (end.end === 'allow') return { verdict: 'allow', rule: null, anchors: [anchor] };
  if (end.end === 'block') return { verdict: 'block', rule: end.rule, anchors: [anchor] };
  return { verdict: 'unknown', rule: end.rule, anchors: [anchor], reason: end.rule ? `${end.reason} (${end.rule})` : end.reason };
}

/** Inbound: policies into HOST with a negative priority, then the zone. Outbound: policies out of HOST; zones do not filter it. */
function judgeZone(fw: Firewalld, zone: FirewalldBlock, p: Packet): RuleVerdict {
  const applies = fw.policies.filter((pol) =>
    p.direction === 'inbound'
      ? has(pol, 'egress-zones', 'HOST') && has(pol, 'ingress-zones', zone.name) && prio(pol) < 0
      : has(pol, 'ingress-zones', 'HOST') && has(pol, 'egress-zones', zone.name),
  );
  for (const pol of applies.sort((a, b) => prio(a) - prio(b))) {
    const v = verdictOf(judgeBlock(pol, 'policy', p, fw.services), zone.name);
    if (v) return v;
  }
  if (p.direction === 'outbound') return { verdict: 'allow', rule: null, anchors: [zone.name] };
  return verdictOf(judgeBlock(zone, 'zone', p, fw.services), zone.name) ?? { verdict: 'allow', rule: null, anchors: [zone.name] };
}

/**
 * Judges a new packet against firewalld: the zone of the link that carries it
 * (bound by interface, else the default zone) and the policies between that zone and the host.
 */
export function judgeFirewalld(out: FirewallOutputs, q: PortQuery): RuleVerdict {
  if (!/^running/m.test(out.firewalldState ?? '')) return allowAll;
  const fw = load(out);
  if (typeof fw === 'string') return { verdict: 'unknown', rule: null, anchors: [], reason: fw };
  const p = packetOf(q, out);
  const bound = (z: FirewalldBlock) => items(z, 'interfaces').length > 0;
  const byLink = p.iface ? fw.zones.find((z) => items(z, 'interfaces').includes(p.iface as string)) : undefined;
  const fallback = fw.zones.find((z) => z.name === fw.defaultZone);
  if (byLink) return judgeZone(fw, byLink, p);
  const candidates = [...new Set([fallback, ...(p.iface ? [] : fw.zones.filter(bound))])].filter((z): z is FirewalldBlock => !!z);
  if (candidates.length === 0)
    return {
      verdict: 'unknown',
      rule: null,
      anchors: [],
      reason: `no zone is bound to ${p.iface ?? 'the link'} and the default zone (${fw.defaultZone ?? 'not read'}) is not among the zones`,
    };
  const verdicts = candidates.map((z) => judgeZone(fw, z, p));
  const first = verdicts[0] as RuleVerdict;
  if (verdicts.every((v) => v.verdict === first.verdict)) return first;
  return {
    verdict: 'unknown',
    rule: null,
    anchors: [],
    reason: `the verdict depends on the zone of the link that carries the packet, which is not known (zones: ${candidates.map((z) => z.name).join(', ')})`,
  };
}
