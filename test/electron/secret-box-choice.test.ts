import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpanwiseError } from '../../agent/shared/errors.js';
import { createServices } from '../../electron/services/index.js';
import { chooseBox, type KeychainFacts } from '../../electron/services/secrets/choose-box.js';
import { openSecretBox, type Keychain } from '../../electron/services/secrets/open-box.js';
import { readSealRecord } from '../../electron/services/secrets/seal-record.js';
import { KeyFileSecretBox } from '../../electron/services/secrets/secret-box.js';

const libsecret: KeychainFacts = { available: true, backend: 'gnome_libsecret' };
const basicText: KeychainFacts = { available: false, backend: 'basic_text' };
const macKeychain: KeychainFacts = { available: true, backend: null };
const dataDir = () => mkdtempSync(join(tmpdir(), 'spanwise-box-'));
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof SpanwiseError ? error.code : `not a SpanwiseError: ${String(error)}`;
  }
  return 'no error';
};
const fakeKeychain = (facts: KeychainFacts): Keychain => ({
  facts,
  box: () => ({ seal: (plain) => Buffer.from(`v11${plain}`), open: (sealed) => sealed.subarray(3).toString() }),
});

describe('choosing the secret box of a data dir', () => {
  it('seals a new data dir with the keychain only where it protects secrets', () => {
    expect(chooseBox(null, libsecret).box).toBe('keychain');
    expect(chooseBox(null, macKeychain)).toEqual({ box: 'keychain', reason: 'Secrets are sealed by the OS keychain.' });
    expect(chooseBox(null, basicText)).toMatchObject({
      box: 'keyfile',
      reason: expect.stringMatching(/No OS keyring protects secrets on this desktop \(encryption unavailable\)/),
    });
    expect(chooseBox(null, { available: true, backend: 'basic_text' }).reason).toMatch(/backend basic_text/);
    expect(chooseBox(null, null).box).toBe('keyfile');
  });

  it('keeps the recorded box, or fails naming the fix when the caller cannot open it', () => {
    expect(chooseBox('keyfile', libsecret).box).toBe('keyfile');
    expect(chooseBox('keyfile', null).box).toBe('keyfile');
    expect(chooseBox('keychain', libsecret).box).toBe('keychain');
    expect(codeOf(() => chooseBox('keychain', null))).toBe('SECRET_BOX_MISMATCH');
    expect(codeOf(() => chooseBox('keychain', basicText))).toBe('KEYCHAIN_UNAVAILABLE');
    expect(codeOf(() => chooseBox('keychain', { available: false, backend: null }))).toBe('KEYCHAIN_UNAVAILABLE');
  });

  it('infers the box of a data dir from before the marker from what sealed it', () => {
    const dir = dataDir();
    expect(readSealRecord(dir, () => null)).toEqual({ box: null, marked: false });
    expect(readSealRecord(dir, () => Buffer.from('v11sealed'))).toEqual({ box: 'keychain', marked: false });
    const keyFile = new KeyFileSecretBox(dir);
    expect(readSealRecord(dir, () => null)).toEqual({ box: 'keyfile', marked: false });
    expect(readSealRecord(dir, () => keyFile.seal('secret'))).toEqual({ box: 'keyfile', marked: false });
    expect(readSealRecord(dir, () => Buffer.from('v11sealed by the app before the CLI wrote a key'))).toEqual({ box: 'keychain', marked: false });
    writeFileSync(join(dir, 'secret-box'), 'vault\n');
    expect(codeOf(() => readSealRecord(dir, () => null))).toBe('SECRET_BOX_UNKNOWN');
  });

  it('records the box when it first opens a data dir, and the CLI then refuses a keychain data dir', () => {
    const dir = dataDir();
    expect(openSecretBox(dir, () => null, fakeKeychain(libsecret)).info.box).toBe('keychain');
    expect(readFileSync(join(dir, 'secret-box'), 'utf8')).toBe('keychain\n');
    expect(codeOf(() => createServices({ mode: 'web', dataDir: dir }))).toBe('SECRET_BOX_MISMATCH');
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('lets the app open a key-file data dir with the key file even where the keychain works', () => {
    const dir = dataDir();
    const cli = createServices({ mode: 'web', dataDir: dir });
    cli.close();
    expect(readFileSync(join(dir, 'secret-box'), 'utf8')).toBe('keyfile\n');
    const opened = openSecretBox(dir, () => null, fakeKeychain(libsecret));
    expect(opened.info.box).toBe('keyfile');
    expect(opened.box).toBeInstanceOf(KeyFileSecretBox);
  });
});
