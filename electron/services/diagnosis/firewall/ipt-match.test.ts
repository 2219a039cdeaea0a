import { describe, expect, it } from 'vitest';
import { judgeIptables } from './iptables.js';

const udp = { protocol: 'udp', port: 51820 } as const;
const tcp = { protocol: 'tcp', port: 50000 } as const;

/** A filter table with INPUT policy `policy` and these INPUT rules, plus any other tables given. */
const save = (policy: string, input: string[], more = '') =>
  `${more}*filter\n:INPUT ${policy} [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:mesh - [0:0]\n${input.map((r) => `-A INPUT ${r}`).join('\n')}\nCOMMIT\n`;

describe('iptables matches', () => {
  it('cannot tell an ipset match, but decides when both ways end the same', () => {
    const v = judgeIptables(save('DROP', ['-p udp -m set --match-set mesh-peers src -m udp --dport 51820 -j ACCEPT']), udp);
    expect(v).toMatchObject({ verdict: 'unknown', rule: '-A INPUT -p udp -m set --match-set mesh-peers src -m udp --dport 51820 -j ACCEPT' });
    expect(v.reason).toContain('ipset mesh-peers is not read');
    const both = judgeIptables(save('ACCEPT', ['-m set --match-set bad src -j DROP', '-p udp -m udp --dport 51820 -j DROP']), udp);
    expect(both).toMatchObject({ verdict: 'block', rule: '-A INPUT -p udp -m udp --dport 51820 -j DROP' });
  });

  it('matches the members of a read ipset, per dimension', () => {
    const rules = save('DROP', ['-m set --match-set svc dst,dst -j ACCEPT']);
    const ipsetSave = 'create svc hash:ip,port family inet hashsize 1024\nadd svc 192.0.2.10,udp:51820\nadd svc 192.0.2.10,tcp:50000-50010\n';
    const addresses = '2: eth0    inet 192.0.2.10/24 brd 192.0.2.255 scope global eth0';
    const out = { ipsetSave, addresses, links: 'default via 192.0.2.1 dev eth0' };
    expect(judgeIptables(rules, udp, out).verdict).toBe('allow');
    expect(judgeIptables(rules, tcp, out).verdict).toBe('allow');
    expect(judgeIptables(rules, { protocol: 'tcp', port: 22 }, out).rule).toBe(':INPUT DROP [0:0]');
    expect(judgeIptables(rules, udp, { ipsetSave }).reason).toContain("only for this host's address 192.0.2.10");
  });

  it('follows marks set in mangle into the filter table', () => {
    const mangle =
      '*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n-A PREROUTING -p udp -m udp --dport 51820 -j MARK --set-xmark 0x8000/0x8000\nCOMMIT\n';
    const rules = ['-m mark --mark 0x8000/0x8000 -j DROP'];
    expect(judgeIptables(save('ACCEPT', rules, mangle), udp)).toMatchObject({ verdict: 'block', rule: '-A INPUT -m mark --mark 0x8000/0x8000 -j DROP' });
    expect(judgeIptables(save('ACCEPT', rules, mangle), tcp).verdict).toBe('allow');
  });

  it('sees untracked packets after a raw NOTRACK', () => {
    const raw = '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp -m udp --dport 51820 -j CT --notrack\nCOMMIT\n';
    const rules = ['-m conntrack --ctstate UNTRACKED -j ACCEPT', '-m conntrack --ctstate NEW -j DROP'];
    expect(judgeIptables(save('ACCEPT', rules, raw), udp).verdict).toBe('allow');
    expect(judgeIptables(save('ACCEPT', rules, raw), tcp).rule).toBe('-A INPUT -m conntrack --ctstate NEW -j DROP');
  });

  it('passes a limit, a first SYN and a ufw-style recent check; cannot tell a bare recent check', () => {
    expect(judgeIptables(save('DROP', ['-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m limit --limit 10/sec -j ACCEPT']), tcp).verdict).toBe('allow');
    expect(judgeIptables(save('ACCEPT', ['-p tcp -m recent --update --seconds 60 --hitcount 4 --name ssh -j DROP']), tcp).verdict).toBe('allow');
    expect(judgeIptables(save('ACCEPT', ['-p tcp -m recent --rcheck --name blocked -j DROP']), tcp).verdict).toBe('unknown');
  });

  it('quotes the line with its counters, as iptables-save -c prints it', () => {
    expect(judgeIptables(save('ACCEPT', ['-p udp --dport 51820 -j DROP']).replace('-A INPUT', '[12:840] -A INPUT'), udp).rule).toBe(
      '[12:840] -A INPUT -p udp --dport 51820 -j DROP',
    );
  });

  it('says unknown for queues, unknown targets and chain loops', () => {
    expect(judgeIptables(save('ACCEPT', ['-p udp -j NFQUEUE --queue-num 1']), udp).reason).toContain('NFQUEUE hands the packet');
    expect(judgeIptables(save('ACCEPT', ['-p udp -j FROBNICATE']), udp).reason).toContain('target FROBNICATE is neither a chain');
    const loop = save('ACCEPT', ['-j mesh']).replace('COMMIT', '-A mesh -j mesh\nCOMMIT');
    expect(judgeIptables(loop, udp).reason).toContain('nest deeper');
  });

  it('judges outbound against OUTPUT, where an owner match cannot be told', () => {
    const out = `*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m owner --uid-owner 0 -p udp -j ACCEPT\nCOMMIT\n`;
    expect(judgeIptables(out, { ...udp, direction: 'outbound' })).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('--uid-owner 0') });
    expect(judgeIptables(out, { ...tcp, direction: 'outbound' })).toMatchObject({ verdict: 'block', rule: ':OUTPUT DROP [0:0]' });
    expect(judgeIptables(out, udp).verdict).toBe('allow');
  });

  it('refuses output that is not iptables-save, naming the line', () => {
    const v = judgeIptables('*filter\n:INPUT DROP [0:0]\niptables: No chain/target/match by that name.\nCOMMIT\n', udp);
    expect(v).toMatchObject({ verdict: 'unknown', rule: null });
    expect(v.reason).toBe('iptables-save output: line 3 ("iptables: No chain/target/match by that name.") is not iptables-save output');
    expect(judgeIptables('*filter\n-A INPUT -j DROP\nCOMMIT\n', udp).reason).toContain('chain INPUT, which is not declared');
    expect(judgeIptables('', udp).verdict).toBe('allow');
  });
});
