import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanwiseError } from '../../../agent/shared/errors.js';

/**
 * Encrypts secrets at rest (cluster secret, CA key, SSH passwords and
 * passphrases). In the app it is backed by Electron safeStorage where the OS
 * keychain protects secrets; otherwise, and headless, by a 0600 key file under
 * the data dir. Which one seals a data dir is recorded in it (open-box.ts).
 */
export interface SecretBox {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

const VERSION = 1;

/** AES-256-GCM with a key kept in `<dataDir>/secret.key` (mode 0600), created once. */
export class KeyFileSecretBox implements SecretBox {
  private readonly key: Buffer;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, 'secret.key');
    if (!existsSync(path)) {
      try {
        writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    this.key = readFileSync(path);
    if (this.key.length !== 32)
      throw new SpanwiseError(
        'SECRET_KEY_INVALID',
        `${path} is not a 32-byte key`,
        'restore the file from a backup; without it the stored secrets cannot be read',
      );
  }

  seal(plain: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
  }

  open(sealed: Buffer): string {
    if (sealed.subarray(0, 2).toString('latin1') === 'v1') {
      throw new SpanwiseError(
        'SECRET_UNREADABLE',
        'this data dir was created by the desktop app; its secrets are sealed by the OS keychain',
        'open it with the app, or use a separate --data-dir for the CLI',
      );
    }
    if (sealed.length < 29 || sealed[0] !== VERSION)
      throw new SpanwiseError('SECRET_UNREADABLE', 'a stored secret has an unknown format', 're-enter the secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new SpanwiseError(
        'SECRET_UNREADABLE',
        'a stored secret cannot be decrypted with this data dir key',
        'use the data dir it was created with, or re-enter the secret',
      );
    }
  }
}
