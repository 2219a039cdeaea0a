import { describe, expect, it } from 'vitest';
import { pairCodes } from '../../electron/contract/fields.js';
import { meshNode } from '../../test/support/renderer/mesh.js';
import { isUp, linksOf, meshPair } from './links.js';

const { self, up, down, relayed } = pairCodes;
const nodes = ['cloud1', 'edge1', 'edge2'].map((name) => meshNode(name));

describe('links of a relayed pair', () => {
  it('draws a pair relayed either way as relayed through its relay, up for the what-if, and down where one side is down', () => {
    const cells = Uint8Array.from([self, up, up, up, self, relayed, up, relayed, self]);
    const view = { nodes, cells, relays: new Map([[1 * 3 + 2, 'cloud1']]) };
    expect(meshPair(view, 1, 2)).toBe('relayed');
    expect(isUp(meshPair(view, 1, 2))).toBe(true);
    expect(linksOf(view, null, null).links).toEqual([
      { a: 'cloud1', b: 'edge1', state: 'up' },
      { a: 'cloud1', b: 'edge2', state: 'up' },
      { a: 'edge1', b: 'edge2', state: 'relayed', via: 'cloud1' },
    ]);
    cells[2 * 3 + 1] = down;
    expect(linksOf(view, null, null).links[2]).toEqual({ a: 'edge1', b: 'edge2', state: 'down' });
  });
});
