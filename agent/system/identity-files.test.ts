import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_FILE, loadOrCreateIdentity, loadOrCreateNodeId, saveIdentity } from './identity-files.js';

describe('identity files', () => {
  it('creates the identity once with mode 0600 and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanwise-id-'));
    const first = await loadOrCreateIdentity(dir);
    expect(statSync(join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
    await saveIdentity(dir, { ...first, address: 'fd00::1', subnet: 'fd00::/64' });
    const second = await loadOrCreateIdentity(dir);
    expect(second).toEqual({ ...first, address: 'fd00::1', subnet: 'fd00::/64' });
    expect(statSync(join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('persists the node id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanwise-id-'));
    const id = await loadOrCreateNodeId(dir);
    expect(id).toMatch(/^[0-9A-Za-z]{40,44}$/);
    expect(await loadOrCreateNodeId(dir)).toBe(id);
  });
});
