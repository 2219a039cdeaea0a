import { describe, expect, it } from 'vitest';
import { firewalldCases, reportOutputs } from '../../../../test/support/rulesets/firewalld/cases.js';
import { expectVerdicts } from '../../../../test/support/rulesets/iptables/verdicts.js';
import { judgeFirewalld } from './firewalld.js';

describe('firewalld corpus', () => {
  for (const c of firewalldCases) {
    it(`${c.name}: ${c.why}`, () => {
      const out = reportOutputs('firewalld', c.name);
      expectVerdicts(judgeFirewalld, out, 'ipv4', c);
      if (c.ipv6) expectVerdicts(judgeFirewalld, out, 'ipv6', c.ipv6);
    });
  }

  it('carries the zone for the fix, and finds the zone by the link named in the query', () => {
    const out = reportOutputs('firewalld', 'interface-zone-rich-reject');
    expect(judgeFirewalld(out, { protocol: 'tcp', port: 50000 }).anchors).toEqual(['mesh']);
    const viaPublic = judgeFirewalld(out, { protocol: 'udp', port: 51820, iface: 'eth9' });
    expect(viaPublic).toMatchObject({ verdict: 'block', anchors: ['public'] });
  });

  it('is not judged when firewalld is not running, and output it cannot read is unknown with the reason', () => {
    const out = reportOutputs('firewalld', 'public-wireguard');
    expect(judgeFirewalld({ ...out, firewalldState: 'not running' }, { protocol: 'tcp', port: 50000 }).verdict).toBe('allow');
    const broken = judgeFirewalld({ ...out, firewalldZones: 'public\n  target default\n' }, { protocol: 'tcp', port: 50000 });
    expect(broken).toMatchObject({ verdict: 'unknown' });
    expect(broken.reason).toContain('line 2 ("target default") is not a "key: value" line');
  });
});
