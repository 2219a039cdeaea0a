import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { HostKeyStore, hostKeyFingerprint } from './host-keys.js';

const db = openDatabase(mkdtempSync(join(tmpdir(), 'spanwise-host-keys-')));
const store = new HostKeyStore(db);
const keyBlob = (fill: number) => Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.alloc(32, fill)]);

afterAll(() => db.close());

describe('host key errors carry their facts as details', () => {
  it('an unknown key: its fingerprint, the address and the jump hosts on the way', () => {
    const place = { via: 'bastion.example:22', host: '10.0.0.5', port: 2222 };
    const error = store.check(place, keyBlob(1), {});
    expect(error?.toEnvelope()).toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      details: { fingerprint: hostKeyFingerprint(keyBlob(1)), address: '10.0.0.5:2222', via: 'bastion.example:22' },
    });
  });

  it('a direct connection has no via; a changed key names the trusted fingerprint too', () => {
    const place = { via: '', host: '192.0.2.7', port: 22 };
    expect(store.check(place, keyBlob(2), { trustOnFirstUse: true })).toBeNull();
    const error = store.check(place, keyBlob(3), {});
    expect(error?.code).toBe('HOST_KEY_CHANGED');
    expect(error?.details).toEqual({
      fingerprint: hostKeyFingerprint(keyBlob(3)),
      address: '192.0.2.7:22',
      trustedFingerprint: hostKeyFingerprint(keyBlob(2)),
    });
  });
});
