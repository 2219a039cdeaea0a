import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostFactsScript, parseHostFacts } from './host-facts.js';

describe('host facts', () => {
  it('parses rp_filter per link, the clock offset against the exec midpoint, and the mesh link', () => {
    const out = ['clock 1700000010500', 'rp_filter all 1', 'rp_filter eth0 2', 'rp_filter kubespan 0', 'rp_filter bad 7', 'mesh-link kubespan'].join('\n');
    expect(parseHostFacts(out, 1700000000000, 1700000001000)).toEqual({
      rpFilter: { all: 1, eth0: 2, kubespan: 0 },
      clockOffsetMs: 10_000,
      meshLink: 'kubespan',
    });
  });

  it('leaves the offset unknown when the read took too long, and ignores malformed lines', () => {
    expect(parseHostFacts('clock 1700000010500\nrp_filter x y\nmesh-link wg0', 0, 6000)).toEqual({ rpFilter: {}, clockOffsetMs: null, meshLink: null });
  });

  it('reads this host with the real script', () => {
    const started = Date.now();
    const out = execFileSync('sh', ['-c', hostFactsScript], { encoding: 'utf8' });
    const ended = Date.now();
    const facts = parseHostFacts(out, started, ended);
    // Same clock on both sides: the offset is within the read's own error bar.
    expect(Math.abs(facts.clockOffsetMs ?? Infinity)).toBeLessThanOrEqual((ended - started) / 2 + 1);
    expect(Object.keys(facts.rpFilter)).toContain('all');
  });
});
