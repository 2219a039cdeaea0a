import { describe, expect, it } from 'vitest';
import { counterAddScript, parseCounters } from './arrival-counter.js';
import { parseHostReport, parsePathMtus, pathMtuScript } from './host-report.js';

describe('host report', () => {
  it('splits sections and reads MTUs and the default link', () => {
    const report = parseHostReport('### nft\ntable inet filter {\n}\n### mtu\neth0 1492\nlo 65536\nbad line\n### route\ndefault via 198.19.3.1 dev eth0\n');
    expect(report.firewall).toEqual({ nft: 'table inet filter {\n}' });
    expect(report.mtus).toEqual({ eth0: 1492, lo: 65536 });
    expect(report.defaultLink).toBe('eth0');
  });
  it('parses path MTUs and only scripts IPv4 targets, pinging over the underlay (mark 0x20)', () => {
    expect(pathMtuScript(['198.18.1.10', '$(reboot)'])).not.toContain('reboot');
    expect(pathMtuScript(['198.18.1.10'])).toContain('ping -n -c 3 -i 0.2 -W 2 -m 32 -M do');
    expect([...parsePathMtus('198.18.1.10 1492\n198.18.1.11 0\n')]).toEqual([['198.18.1.10', 1492]]);
  });
});

describe('arrival counter', () => {
  it('counts per sender and reads the counters back', () => {
    const script = counterAddScript({ cloud1: ['198.18.1.10'], edge1: ['198.18.3.1', 'x;rm'] }, 51820);
    expect(script).toContain(`ip saddr '{ 198.18.3.1 }' udp dport 51820 @th,64,64 0x5350414e57495345 counter comment '"from-edge1"'`);
    expect(script).not.toContain('rm');
    const listed =
      'table inet spanwise_probe {\n chain pre {\n  ip saddr { 198.18.1.10 } udp dport 51820 counter packets 3 bytes 120 comment "from-cloud1"\n  ip saddr { 198.18.3.1 } udp dport 51820 counter packets 0 bytes 0 comment "from-edge1"\n }\n}';
    expect([...parseCounters(listed)]).toEqual([
      ['cloud1', 3],
      ['edge1', 0],
    ]);
  });
});
