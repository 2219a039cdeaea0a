import { describe, expect, it } from 'vitest';
import { pairCodes } from '../electron/contract/fields.js';
import { codeState, codeStates, stateLooks } from './states.js';

describe('cell states', () => {
  it('name each of the contract pair codes, and anything else unknown', () => {
    expect(Object.entries(pairCodes).map(([name, code]) => [name, codeState(code)])).toEqual([
      ['unknown', 'unknown'],
      ['up', 'up'],
      ['down', 'down'],
      ['self', 'self'],
      ['fragile', 'fragile'],
      ['relayed', 'relayed'],
    ]);
    expect(codeState(9)).toBe('unknown');
    expect(codeStates.map((state, code) => [code, state])).toEqual(Object.entries(pairCodes).map(([name, code]) => [code, name]));
    expect(codeStates.map((state) => stateLooks[state].symbol)).toEqual(['?', '✓', '✕', '·', '≈', '↪']);
    expect(Object.entries(stateLooks).filter(([, look]) => look.symbol === stateLooks.relayed.symbol)).toEqual([['relayed', stateLooks.relayed]]);
  });
});
