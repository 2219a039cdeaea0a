import { safeStorage } from 'electron';
import { SpanwiseError } from '../../agent/shared/errors.js';
import type { Keychain } from '../services/secrets/open-box.js';
import type { SecretBox } from '../services/secrets/secret-box.js';

/** Secrets at rest through the OS keychain (Electron safeStorage). */
class SafeStorageBox implements SecretBox {
  seal(plain: string): Buffer {
    return safeStorage.encryptString(plain);
  }

  open(sealed: Buffer): string {
    try {
      return safeStorage.decryptString(sealed);
    } catch {
      throw new SpanwiseError(
        'SECRET_UNREADABLE',
        'the OS keychain could not open a stored secret',
        'unlock the keychain (or keyring) this data dir was sealed with, or re-enter the secret',
      );
    }
  }
}

/** The OS keychain as this desktop session has it (call after `ready`). */
export function osKeychain(): Keychain {
  return {
    facts: {
      available: safeStorage.isEncryptionAvailable(),
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    },
    box: () => new SafeStorageBox(),
  };
}
