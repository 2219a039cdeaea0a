import type { ReportCase } from '../firewalld/cases.js';

const open = { udp: 'allow', tcp: 'allow' } as const;
const deny = (defaults: string, what: string) => ({ block: `ufw: Default: ${defaults}; no rule allows ${what}` });

/** The ufw corpus: each NAME.report holds `ufw status verbose`, user.rules, user6.rules and app profiles as the host report prints them. */
export const ufwCases: ReportCase[] = [
  {
    name: 'default-deny-51820',
    why: 'default deny incoming with 51820/udp allowed (both families); 50000/tcp meets the default',
    inbound: { udp: 'allow', tcp: deny('deny (incoming), allow (outgoing), disabled (routed)', '50000/tcp in') },
    outbound: open,
    ipv6: { inbound: { udp: 'allow', tcp: deny('deny (incoming), allow (outgoing), disabled (routed)', '50000/tcp in') }, outbound: open },
  },
  {
    name: 'limit-50000',
    why: 'LIMIT lets a new connection to 50000/tcp in; a deny rule drops 51820/udp in; deny outgoing with 51820/udp allowed out',
    inbound: { udp: { block: 'ufw (user.rules): ### tuple ### deny udp 51820 0.0.0.0/0 any 0.0.0.0/0 in' }, tcp: 'allow' },
    outbound: { udp: 'allow', tcp: deny('deny (incoming), deny (outgoing), disabled (routed)', '50000/tcp out') },
  },
  {
    name: 'app-profile',
    why: 'an app profile "Spanwise" (51820/udp|50000/tcp) allowed on both families, resolved from applications.d',
    inbound: open,
    outbound: open,
    ipv6: { inbound: open, outbound: open },
  },
];
