import { describe, expect, it } from 'vitest';
import { parseRelayFlag, relaysAfter, relayText } from './relay-flags.js';

const r = (a: string, b: string, via: string) => ({ between: [a, b] as [string, string], via });

describe('relay flags', () => {
  it('reads A,B=R and refuses other shapes, naming the flag and the form', () => {
    expect(parseRelayFlag('edge1,edge2=cloud1')).toEqual(r('edge1', 'edge2', 'cloud1'));
    expect(() => parseRelayFlag('edge1,edge2')).toThrow("--relay takes A,B=R (relay the pair A-B through R), got 'edge1,edge2'");
    expect(() => parseRelayFlag('edge1=cloud1')).toThrow("--relay takes a pair as A,B (two machine names), got 'edge1'");
    expect(() => relaysAfter({ 'no-relay': ['edge1,'] }, [])).toThrow('--no-relay takes a pair as A,B');
  });

  it('adds, replaces and removes by pair in either order, and leaves the list alone without the flags', () => {
    const saved = [r('edge1', 'edge2', 'cloud1'), r('edge3', 'edge4', 'cloud1')];
    expect(relaysAfter({}, saved)).toBeUndefined();
    expect(relaysAfter({ relay: ['edge2,edge1=cloud2'] }, saved)).toEqual([r('edge3', 'edge4', 'cloud1'), r('edge2', 'edge1', 'cloud2')]);
    expect(relaysAfter({ 'no-relay': ['edge2,edge1'] }, saved)).toEqual([r('edge3', 'edge4', 'cloud1')]);
    expect(relayText(saved)).toBe('edge1,edge2 via cloud1; edge3,edge4 via cloud1');
    expect(relayText(undefined)).toBe('(none)');
  });
});
