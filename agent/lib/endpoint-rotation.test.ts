import { describe, expect, it } from 'vitest';
import { rotateEndpoint, type EndpointChoice } from './endpoint-rotation.js';

const candidates = ['1.1.1.1:51820', '2.2.2.2:51820', '[2001:db8::3]:51820'];

describe('endpoint rotation', () => {
  it('dials the first candidate first', () => {
    expect(rotateEndpoint({ index: 0 }, { candidates, state: 'unknown', now: 10 })).toEqual({ index: 0, endpoint: candidates[0], changedAt: 10 });
  });

  it('waits while unknown, rotates round robin when down', () => {
    let choice: EndpointChoice = { index: 0, endpoint: candidates[0], changedAt: 10 };
    expect(rotateEndpoint(choice, { candidates, state: 'unknown', now: 12 })).toBe(choice);
    const seen: (string | undefined)[] = [];
    for (let t = 20; t < 60; t += 10) {
      choice = rotateEndpoint(choice, { candidates, state: 'down', now: t });
      seen.push(choice.endpoint);
      expect(choice.changedAt).toBe(t);
    }
    expect(seen).toEqual([candidates[1], candidates[2], candidates[0], candidates[1]]);
  });

  it('keeps an endpoint learned from the peer dialling in while up', () => {
    const choice: EndpointChoice = { index: 0, endpoint: candidates[0], changedAt: 10 };
    const roamed = rotateEndpoint(choice, { candidates, state: 'up', observed: '9.9.9.9:4000', now: 20 });
    expect(roamed).toEqual({ index: 0, endpoint: '9.9.9.9:4000', changedAt: 10 });
    expect(rotateEndpoint(roamed, { candidates, state: 'down', now: 30 })).toEqual({ index: 0, endpoint: candidates[0], changedAt: 30 });
  });

  it('restarts from the first candidate when the chosen one disappears', () => {
    const choice: EndpointChoice = { index: 1, endpoint: '5.5.5.5:51820', changedAt: 10 };
    expect(rotateEndpoint(choice, { candidates, state: 'unknown', now: 20 })).toEqual({ index: 0, endpoint: candidates[0], changedAt: 20 });
  });

  it('keeps a roaming endpoint of a peer with no candidates', () => {
    expect(rotateEndpoint({ index: 0 }, { candidates: [], state: 'unknown', observed: '9.9.9.9:1', now: 5 })).toEqual({ index: 0, endpoint: '9.9.9.9:1' });
  });
});
