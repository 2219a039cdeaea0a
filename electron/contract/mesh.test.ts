import { describe, expect, it } from 'vitest';
import { agentViaSchema, pairCodes, pairStateOf, pairStateSchema } from './mesh.js';

describe('the state tables of the mesh contract', () => {
  it('names every pair state by its code, and nothing else', () => {
    for (const state of pairStateSchema.options) expect(pairStateOf(pairCodes[state])).toBe(state);
    for (const code of [pairCodes.self, -1, 4, 1.5, Number.NaN]) expect(pairStateOf(code)).toBe('unknown');
  });

  it('knows the two ways the desktop reaches an agent', () => {
    expect(agentViaSchema.options).toEqual(['direct', 'ssh-tunnel']);
    expect(agentViaSchema.safeParse('telnet').success).toBe(false);
  });
});
