import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gatewayPlan, parseGatewayState, readGatewayScript, type GatewayPlan } from './gateway-plan.js';
import { runAllScript } from './revert-guard.js';

/** dc-gw of the hybrid lab, as `nft -j list ruleset` prints it: its forward chain drops UDP 51820 from the WAN. */
const ruleset = readFileSync(new URL('./dc-gw-ruleset.json', import.meta.url), 'utf8');
const forward = { node: 'dc1', protocol: 'udp', port: 51820, publicAddress: '198.18.2.1', nodeAddress: '198.19.2.10' } as const;
const commands = (plan: GatewayPlan) => {
  if ('refusal' in plan) throw new Error(plan.refusal);
  return plan;
};

describe('gatewayPlan', () => {
  it("plans the DNAT in Spanwise's own table and the accept in the forward chain that drops it, from the gateway's ruleset", () => {
    const plan = commands(gatewayPlan(forward, { publicLink: 'wan', nftRuleset: ruleset }));
    expect(plan.apply.filter((c) => !c.startsWith('echo'))).toEqual([
      'nft add table ip spanwise-gw',
      "nft 'add chain ip spanwise-gw prerouting { type nat hook prerouting priority -101; policy accept; }'",
      `nft add rule ip spanwise-gw prerouting 'ip daddr 198.18.2.1 udp dport 51820 dnat to 198.19.2.10:51820 comment "spanwise:gw-udp-51820"'`,
      `nft insert rule inet filter forward 'iifname "wan" ip daddr 198.19.2.10 udp dport 51820 accept comment "spanwise:gw-udp-51820"'`,
    ]);
    expect(plan.revert[0]).toMatch(/^nft delete table ip spanwise-gw /);
    expect(plan.revert[1]).toContain(`nft -a list chain inet filter forward | sed -n 's/.* comment "spanwise:gw-udp-51820" # handle`);
  });

  it('adds no forward accept where the forward path already allows the port', () => {
    const open = JSON.stringify({ nftables: (JSON.parse(ruleset) as { nftables: unknown[] }).nftables.filter((i) => !JSON.stringify(i).includes('"drop"')) });
    const plan = commands(gatewayPlan(forward, { publicLink: 'wan', nftRuleset: open }));
    expect(plan.apply.some((c) => c.includes('insert rule'))).toBe(false);
    expect(plan.revert).toHaveLength(1);
  });

  it('uses iptables where the gateway has no nft, each rule tagged and first in its chain', () => {
    const plan = commands(gatewayPlan(forward, { publicLink: 'eth0', nftRuleset: null }));
    expect(plan.apply.slice(0, 2)).toEqual([
      'iptables -t nat -I PREROUTING 1 -i eth0 -d 198.18.2.1 -p udp --dport 51820 -m comment --comment spanwise:gw-udp-51820 -j DNAT --to-destination 198.19.2.10:51820',
      'iptables -I FORWARD 1 -i eth0 -d 198.19.2.10 -p udp --dport 51820 -m comment --comment spanwise:gw-udp-51820 -j ACCEPT',
    ]);
    expect(plan.revert[1]).toMatch(/^iptables -D FORWARD -i eth0 -d 198.19.2.10 -p udp --dport 51820 .* -j ACCEPT && /);
  });

  it('refuses what it read from the gateway or the report unless it is plain: addresses, the link, the chain', () => {
    const bad = [
      gatewayPlan({ ...forward, nodeAddress: '198.19.2.10; reboot' }, { publicLink: 'wan', nftRuleset: ruleset }),
      gatewayPlan({ ...forward, publicAddress: 'fd00::1' }, { publicLink: 'wan', nftRuleset: ruleset }),
      gatewayPlan(forward, { publicLink: 'wan$(reboot)', nftRuleset: ruleset }),
      gatewayPlan(forward, { publicLink: '', nftRuleset: ruleset }),
      gatewayPlan(forward, { publicLink: 'wan', nftRuleset: ruleset.replaceAll('"table": "filter"', '"table": "f;x"') }),
    ];
    expect(bad.map((p) => ('refusal' in p ? p.refusal.split(' ').slice(0, 3).join(' ') : 'planned'))).toEqual([
      'the forward (198.18.2.1',
      'the forward (fd00::1',
      'no link on',
      'no link on',
      "the gateway's forward",
    ]);
  });

  it('reads the link of the public address and the ruleset from what the read script prints', () => {
    expect(readGatewayScript('198.18.2.1')).toContain("awk -v a='198.18.2.1'");
    expect(parseGatewayState(`wan\n---\nnft\n${ruleset}`)).toEqual({ publicLink: 'wan', nftRuleset: ruleset });
    expect(parseGatewayState('eth0\n---\niptables\n')).toEqual({ publicLink: 'eth0', nftRuleset: null });
  });

  it('applies and reverts for real in a network namespace of its own, leaving the ruleset as it was', () => {
    const plan = commands(gatewayPlan(forward, { publicLink: 'wan', nftRuleset: ruleset }));
    const script = [
      `nft -j -f - <<'EOF'\n${ruleset}\nEOF`,
      'nft list ruleset > /tmp/before.$$',
      runAllScript(plan.apply),
      'echo ---applied',
      'nft list ruleset',
      'echo ---reverted',
      'set +e',
      ...plan.revert,
      'nft list ruleset | diff /tmp/before.$$ - && echo same; rm -f /tmp/before.$$',
    ].join('\n');
    const out = execFileSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8' });
    const [, applied = '', reverted = ''] = out.split(/---applied|---reverted/);
    expect(applied).toContain('iifname "wan" ip daddr 198.19.2.10 udp dport 51820 accept comment "spanwise:gw-udp-51820"');
    expect(applied).toContain('ip daddr 198.18.2.1 udp dport 51820 dnat to 198.19.2.10:51820 comment "spanwise:gw-udp-51820"');
    expect(reverted).toContain('@spanwise change runtime removed table ip spanwise-gw');
    expect(reverted.trim().endsWith('same')).toBe(true);
  });
});
