import { describe, expect, it } from 'vitest';
import { applyPatch, stalePlaces } from './machine-patch.js';

const stored = {
  name: 'edge1',
  ssh: { user: 'root', host: '10.0.3.10', port: 22 },
  auth: { identityFile: '/keys/id', passphrase: 'pp', sudoPassword: 'sudo', useAgent: false },
  jump: [{ user: 'root', host: '198.18.3.1', port: 22 }],
  site: 'edge' as const,
  role: 'worker' as const,
  labels: {},
};

describe('machine edits', () => {
  it('keeps what the patch leaves out, merges ssh field by field, and clears a key given as null', () => {
    const out = applyPatch(stored, { ssh: { port: 2222 }, auth: { password: 'pw', identityFile: null, passphrase: null } });
    expect(out.ssh).toEqual({ user: 'root', host: '10.0.3.10', port: 2222 });
    expect(out.auth).toEqual({ password: 'pw', sudoPassword: 'sudo', useAgent: false });
    expect(out.jump).toEqual(stored.jump);
    expect(out.site).toBe('edge');
  });

  it('sets and drops the jump hosts own sign-in', () => {
    const withJump = applyPatch(stored, { jumpAuth: { identityFile: '/keys/bastion' } });
    expect(withJump.jumpAuth).toEqual({ identityFile: '/keys/bastion' });
    expect(applyPatch(withJump, { jumpAuth: { password: 'jp', identityFile: null } }).jumpAuth).toEqual({ password: 'jp' });
    expect(applyPatch(withJump, { jumpAuth: null }).jumpAuth).toBeUndefined();
  });
});

describe('host keys an edit makes stale', () => {
  const route = (host: string, port: number, jump: Array<{ host: string; port: number }> = []) => ({ ssh: { host, port }, jump });
  it('a new port forgets the old address, not the jump host the route still uses', () => {
    const before = route('10.0.3.10', 22, [{ host: '198.18.3.1', port: 22 }]);
    const after = route('10.0.3.10', 2222, [{ host: '198.18.3.1', port: 22 }]);
    expect(stalePlaces(before, after, [])).toEqual([{ via: '198.18.3.1:22', host: '10.0.3.10', port: 22 }]);
  });
  it('nothing is forgotten when only the user changes, or when another machine still uses the place', () => {
    const before = route('10.0.3.10', 22);
    expect(stalePlaces(before, route('10.0.3.10', 22), [])).toEqual([]);
    expect(stalePlaces(before, route('10.0.3.11', 22), [route('10.0.3.10', 22)])).toEqual([]);
  });
  it('dropping the jump host forgets both the jump key and the key seen behind it', () => {
    const before = route('10.0.3.10', 22, [{ host: '198.18.3.1', port: 22 }]);
    expect(stalePlaces(before, route('10.0.3.10', 22), [])).toEqual([
      { via: '', host: '198.18.3.1', port: 22 },
      { via: '198.18.3.1:22', host: '10.0.3.10', port: 22 },
    ]);
  });
});
