import { safeStorage } from 'electron';
import { SpanwiseError } from '../../agent/lib/errors.js';
import type { SecretBox } from '../services/secrets/secret-box.js';

/** Secrets at rest through the OS keychain (Electron safeStorage). */
export class SafeStorageBox implements SecretBox {
  constructor() {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new SpanwiseError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available to encrypt secrets', 'unlock the keychain (or run `spanwise web`, which uses a 0600 key file)');
    }
  }

  seal(plain: string): Buffer {
    return safeStorage.encryptString(plain);
  }

  open(sealed: Buffer): string {
    return safeStorage.decryptString(sealed);
  }
}
