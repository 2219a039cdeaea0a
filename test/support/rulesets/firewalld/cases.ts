import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FirewallOutputs } from '../../../../electron/services/diagnosis/firewall/inspect.js';
import { parseHostReport } from '../../../../electron/services/diagnosis/gather/host-report.js';
import type { Verdicts } from '../iptables/cases.js';

/** One corpus case: NAME.report holds the host report's sections (firewall-cmd's output, written from its documented formats). */
export interface ReportCase extends Verdicts {
  name: string;
  why: string;
  ipv6?: Verdicts;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The firewall outputs of a `.report` file in this folder or a sibling one. */
export function reportOutputs(folder: 'firewalld' | 'ufw', name: string): FirewallOutputs {
  return parseHostReport(readFileSync(join(here, '..', folder, `${name}.report`), 'utf8')).firewall;
}

const open = { udp: 'allow', tcp: 'allow' } as const;
const target = (zone: string, t: string, port: string, services: string) => ({
  block: `firewalld zone ${zone}: target: ${t} (no service, port or rich rule allows ${port}; services: ${services}; ports: none)`,
});

export const firewalldCases: ReportCase[] = [
  {
    name: 'public-wireguard',
    why: 'the public zone (default, on eth0) opens the wireguard service (51820/udp) and falls to its default target for 50000/tcp',
    inbound: { udp: 'allow', tcp: target('public', 'default', '50000/tcp', 'cockpit dhcpv6-client ssh wireguard') },
    outbound: open,
  },
  {
    name: 'interface-zone-rich-reject',
    why: "eth0's zone lists both ports, but its IPv4 reject rich rule for 50000/tcp comes first; IPv6 has no default route, so its zone is not known",
    inbound: { udp: 'allow', tcp: { block: 'firewalld zone mesh: rule family="ipv4" port port="50000" protocol="tcp" reject type="icmp-port-unreachable"' } },
    outbound: open,
    ipv6: {
      inbound: { udp: { unknown: 'depends on the zone of the link' }, tcp: { unknown: 'depends on the zone of the link' } },
      outbound: open,
    },
  },
  {
    name: 'drop-target-zone',
    why: 'the default zone drops (its accept is for one source range), and a HOST -> ANY policy drops outbound 51820/udp',
    inbound: { udp: target('drop', 'DROP', '51820/udp', 'none'), tcp: target('drop', 'DROP', '50000/tcp', 'none') },
    outbound: { udp: { block: 'firewalld policy egress-filter: rule family="ipv4" port port="51820" protocol="udp" drop' }, tcp: 'allow' },
  },
  {
    name: 'unknown-service',
    why: 'a service whose ports were not read might open either port: unknown, not blocked',
    inbound: { udp: { unknown: 'service mesh-ports is not known' }, tcp: { unknown: 'service mesh-ports is not known' } },
    outbound: open,
  },
];
