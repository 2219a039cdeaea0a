import { describe, expect, it } from 'vitest';
import type { SiteKind } from './machines.js';
import { EXACT_LIMIT, nodesToOpen } from './open-set.js';

const sites: Record<string, SiteKind> = { c1: 'cloud', d1: 'datacenter', e1: 'edge', e2: 'edge', e3: 'edge' };
const site = (n: string): SiteKind => sites[n] ?? (n.startsWith('c') ? 'cloud' : n.startsWith('d') ? 'datacenter' : 'edge');

describe('nodesToOpen', () => {
  it('opens one end per pair, preferring cloud, then datacenter, over edge', () => {
    expect(nodesToOpen([['d1', 'e1']], site)).toEqual(['d1']);
    expect(nodesToOpen([['e1', 'c1']], site)).toEqual(['c1']);
  });

  it('opens all but one of a closed clique, leaving an edge node closed', () => {
    const clique: Array<[string, string]> = [
      ['d1', 'e1'],
      ['d1', 'e2'],
      ['e1', 'e2'],
    ];
    expect(nodesToOpen(clique, site)).toEqual(['d1', 'e1']);
  });

  it('prefers fewer nodes over cheaper sites (a star opens its centre)', () => {
    expect(
      nodesToOpen(
        [
          ['e1', 'c1'],
          ['e1', 'd1'],
          ['e1', 'e2'],
        ],
        site,
      ),
    ).toEqual(['e1']);
  });

  it('covers every pair with the greedy search above the exact limit', () => {
    const n = EXACT_LIMIT + 10;
    const names = Array.from({ length: n }, (_, i) => `${i % 3 === 0 ? 'c' : 'e'}${i}`);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < n; i += 1) for (let j = i + 1; j < n; j += 1) pairs.push([names[i] as string, names[j] as string]);
    const open = new Set(nodesToOpen(pairs, site));
    expect(pairs.every(([a, b]) => open.has(a) || open.has(b))).toBe(true);
    expect(open.size).toBe(n - 1);
    expect(names.filter((x) => !open.has(x)).every((x) => x.startsWith('e'))).toBe(true);
  });
});
