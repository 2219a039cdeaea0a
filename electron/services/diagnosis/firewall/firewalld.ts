import { allowAll, portListHas, type PortQuery, type RuleVerdict } from './types.js';

/** Ports of firewalld's predefined services that matter here. */
const SERVICE_PORTS: Record<string, string[]> = { wireguard: ['51820/udp'], ssh: ['22/tcp'] };

/** Parsed `firewall-cmd --list-all` of the active zone. */
export interface FirewalldZone {
  zone: string;
  target: string;
  services: string[];
  ports: string[];
  richRules: string[];
}

/** Parses `firewall-cmd --list-all` (the first zone in the output). */
export function parseFirewalld(text: string): FirewalldZone | null {
  const lines = text.split('\n');
  const head = lines.find((l) => /^\S+(\s+\(.*\))?\s*$/.test(l) && !/^(running|not running)$/.test(l.trim()));
  if (!head) return null;
  const field = (name: string) =>
    lines
      .find((l) => l.trim().startsWith(`${name}:`))
      ?.trim()
      .slice(name.length + 1)
      .trim() ?? '';
  const richStart = lines.findIndex((l) => l.trim().startsWith('rich rules:'));
  const richRules =
    richStart < 0
      ? []
      : lines
          .slice(richStart + 1)
          .map((l) => l.trim())
          .filter((l) => l.startsWith('rule '));
  const first = field('rich rules');
  if (first.startsWith('rule ')) richRules.unshift(first);
  return {
    zone: head.trim().split(/\s+/)[0] as string,
    target: field('target') || 'default',
    services: field('services').split(/\s+/).filter(Boolean),
    ports: field('ports').split(/\s+/).filter(Boolean),
    richRules,
  };
}

const portSpecHas = (spec: string, q: PortQuery) => {
  const [ports = '', proto = ''] = spec.split('/');
  return proto === q.protocol && portListHas(ports, q.port);
};

/** Judges a new inbound packet against the zone: rich rules, ports, services, then the zone target. */
export function judgeFirewalld(state: string, listAll: string, q: PortQuery): RuleVerdict {
  if (!/^running/m.test(state)) return allowAll;
  const zone = parseFirewalld(listAll);
  if (!zone) return { verdict: 'unknown', rule: null, anchors: [] };
  const anchors = [zone.zone];
  for (const rich of zone.richRules) {
    const port = /port\s+port="([\d-]+)"\s+protocol="(tcp|udp)"/.exec(rich);
    if (!port || port[2] !== q.protocol || !portListHas(port[1] as string, q.port) || /source\s+address=/.test(rich)) continue;
    if (/\b(reject|drop)\b/.test(rich)) return { verdict: 'block', rule: `firewalld zone ${zone.zone}: ${rich}`, anchors };
    if (/\baccept\b/.test(rich)) return { verdict: 'allow', rule: null, anchors };
  }
  if (zone.ports.some((p) => portSpecHas(p, q))) return { verdict: 'allow', rule: null, anchors };
  if (zone.services.some((s) => (SERVICE_PORTS[s] ?? []).some((p) => portSpecHas(p, q)))) return { verdict: 'allow', rule: null, anchors };
  if (zone.target === 'ACCEPT') return { verdict: 'allow', rule: null, anchors };
  return {
    verdict: 'block',
    rule: `firewalld zone ${zone.zone}: target ${zone.target}; no service, port or rich rule allows ${q.port}/${q.protocol} (services: ${zone.services.join(' ') || 'none'}; ports: ${zone.ports.join(' ') || 'none'})`,
    anchors,
  };
}
