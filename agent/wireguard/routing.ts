import { KUBESPAN } from './types.js';

const mark = `0x${KUBESPAN.meshMark.toString(16)}/0x${KUBESPAN.markMask.toString(16)}`;

/** The routes of table 180: default via the mesh link, with the mesh MTU, for IPv4 and IPv6. */
export function routeCommands(mtu: number): string[][] {
  return (['-4', '-6'] as const).map((family) => [
    'ip',
    family,
    'route',
    'replace',
    'default',
    'dev',
    KUBESPAN.link,
    'table',
    String(KUBESPAN.table),
    'mtu',
    String(mtu),
  ]);
}

/** The policy rule for one family: priority 32500, fwmark 0x40/0x60, lookup 180. */
export function ruleAddCommand(family: '-4' | '-6'): string[] {
  return ['ip', family, 'rule', 'add', 'priority', String(KUBESPAN.rulePriority), 'fwmark', mark, 'table', String(KUBESPAN.table)];
}

export function ruleDeleteCommand(family: '-4' | '-6'): string[] {
  return ['ip', family, 'rule', 'del', 'priority', String(KUBESPAN.rulePriority)];
}

export function routeFlushCommand(family: '-4' | '-6'): string[] {
  return ['ip', family, 'route', 'flush', 'table', String(KUBESPAN.table)];
}

interface IpRuleJson {
  priority?: number;
  fwmark?: string;
  fwmask?: string;
  table?: string;
}

/** Whether `ip -j rule show` output has our rule (priority 32500, fwmark 0x40/0x60, table 180). */
export function hasMeshRule(json: string): boolean {
  const rules = JSON.parse(json || '[]') as IpRuleJson[];
  return rules.some((r) => {
    if (r.priority !== KUBESPAN.rulePriority || r.table !== String(KUBESPAN.table)) return false;
    const [m, mask] = (r.fwmask ? `${r.fwmark}/${r.fwmask}` : (r.fwmark ?? '')).split('/');
    return Number(m) === KUBESPAN.meshMark && Number(mask) === KUBESPAN.markMask;
  });
}
