/** The text of the lab's host ruleset (cf. test/lab/firewall.ts hostRuleset) with one more statement on input. */
export function labHostRulesetText(statement: string): string {
  return [
    'table inet filter {',
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    '    ct state established,related accept',
    '    ct state invalid drop',
    '    iif "lo" accept',
    `    ${statement}`,
    '  }',
    '  chain output {',
    '    type filter hook output priority filter; policy accept;',
    '    ct state established,related accept',
    '    ct state invalid drop',
    '    oif "lo" accept',
    '  }',
    '}',
    '',
  ].join('\n');
}

const rule = (chain: string, handle: number, expr: unknown[]) => ({ rule: { family: 'inet', table: 'filter', chain, handle, expr } });
const ctState = (right: unknown) => ({ match: { op: 'in', left: { ct: { key: 'state' } }, right } });
const link = (key: string) => ({ match: { op: '==', left: { meta: { key } }, right: 'lo' } });

/**
 * `nft -j list ruleset` of labHostRulesetText(statement), for statements of the
 * form `udp|tcp dport N drop|accept` (a test checks it against real nft).
 */
export function labHostRuleset(statement: string): string {
  const m = /^(udp|tcp) dport (\d{1,5}) (drop|accept)$/.exec(statement);
  if (!m) throw new Error(`labHostRuleset takes "udp|tcp dport N drop|accept", not "${statement}"`);
  const chain = (name: string, handle: number) => ({
    chain: { family: 'inet', table: 'filter', name, handle, type: 'filter', hook: name, prio: 0, policy: 'accept' },
  });
  const nftables = [
    { table: { family: 'inet', name: 'filter', handle: 1 } },
    chain('input', 1),
    chain('output', 2),
    rule('input', 3, [ctState(['established', 'related']), { accept: null }]),
    rule('input', 4, [ctState('invalid'), { drop: null }]),
    rule('input', 5, [link('iif'), { accept: null }]),
    rule('input', 6, [{ match: { op: '==', left: { payload: { protocol: m[1], field: 'dport' } }, right: Number(m[2]) } }, { [m[3] as string]: null }]),
    rule('output', 7, [ctState(['established', 'related']), { accept: null }]),
    rule('output', 8, [ctState('invalid'), { drop: null }]),
    rule('output', 9, [link('oif'), { accept: null }]),
  ];
  return JSON.stringify({ nftables });
}
