import { describe, expect, it } from 'vitest';
import type { MachineSummary } from '../../electron/contract/index.js';
import { pairCodes } from '../../electron/contract/fields.js';
import { keyTitle } from './HostKeyDialog.js';
import { setupSteps } from './SetupChecklist.js';

const { up, down, self, fragile, relayed } = pairCodes;

describe('the setup checklist', () => {
  const done = (...args: Parameters<typeof setupSteps>) => setupSteps(...args).map((s) => s.done);
  it('follows cluster, machines, onboarding and a mesh whose pairs all carry traffic (up, fragile or relayed)', () => {
    expect(done(false, [], null, 0)).toEqual([false, false, false, false]);
    expect(done(true, ['added'], null, 0)).toEqual([true, true, false, false]);
    expect(done(true, ['onboarded', 'added'], Uint8Array.from([self, down, up, self]), 2)).toEqual([true, true, true, false]);
    expect(done(true, ['onboarded', 'onboarded'], Uint8Array.from([self, fragile, up, self]), 2)).toEqual([true, true, true, true]);
    expect(done(true, ['onboarded', 'onboarded'], Uint8Array.from([self, relayed, relayed, self]), 2)).toEqual([true, true, true, true]);
  });
  it('a single node is no mesh yet, and says so', () => {
    const [, , , mesh] = setupSteps(true, ['onboarded'], Uint8Array.from([self]), 1);
    expect(mesh).toMatchObject({ done: false, action: 'Add a second machine' });
  });
});

describe('host key titles', () => {
  const edge1 = {
    name: 'edge1',
    ssh: { user: 'root', host: '198.18.2.10', port: 22 },
    jump: [{ user: 'root', host: '198.18.3.1', port: 22 }],
  } as MachineSummary;
  it('a key from the machine is titled by the machine and its address', () => {
    const prompt = { machine: 'edge1', fingerprint: 'SHA256:x', address: '198.18.2.10:22', via: '198.18.3.1:22' };
    expect(keyTitle(prompt, edge1, ['edge1'])).toBe('edge1 (198.18.2.10)');
  });
  it('a key from a jump host is titled as the jump host, with the machines it leads to', () => {
    const prompt = { machine: 'edge1', fingerprint: 'SHA256:y', address: '198.18.3.1:22' };
    expect(keyTitle(prompt, edge1, ['edge1', 'edge2'])).toBe('Jump host 198.18.3.1, to reach edge1, edge2');
  });
});
