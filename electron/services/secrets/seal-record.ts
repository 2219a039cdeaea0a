import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { SecretBoxKind } from '../../contract/app.js';
import { KeyFileSecretBox } from './secret-box.js';

/** The marker file in a data dir that says which box seals it (`keychain` or `keyfile`). */
export const sealRecordFile = 'secret-box';

/** The box recorded for a data dir (null: nothing sealed yet), and whether the marker file said so or it was inferred. */
export interface SealRecord {
  box: SecretBoxKind | null;
  marked: boolean;
}

function keyFileOpens(dataDir: string, sealed: Buffer): boolean {
  try {
    new KeyFileSecretBox(dataDir).open(sealed);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the marker. A data dir from before the marker is inferred from one of
 * its sealed values (`sample`): opened by secret.key means keyfile, anything
 * else means keychain (a key file written later by the CLI does not count);
 * with nothing sealed, secret.key alone means keyfile.
 */
export function readSealRecord(dataDir: string, sample: () => Buffer | null): SealRecord {
  const marker = join(dataDir, sealRecordFile);
  if (existsSync(marker)) {
    const text = readFileSync(marker, 'utf8').trim();
    if (text !== 'keychain' && text !== 'keyfile') {
      throw new SpanwiseError(
        'SECRET_BOX_UNKNOWN',
        `${sealRecordFile} in the data dir says "${text.slice(0, 32)}", not keychain or keyfile`,
        'write keychain (sealed by the desktop app) or keyfile (sealed by secret.key) into it',
      );
    }
    return { box: text, marked: true };
  }
  const hasKeyFile = existsSync(join(dataDir, 'secret.key'));
  const sealed = sample();
  if (sealed === null) return { box: hasKeyFile ? 'keyfile' : null, marked: false };
  return { box: hasKeyFile && keyFileOpens(dataDir, sealed) ? 'keyfile' : 'keychain', marked: false };
}

/** Writes the marker (mode 0600). */
export function writeSealRecord(dataDir: string, box: SecretBoxKind): void {
  writeFileSync(join(dataDir, sealRecordFile), `${box}\n`, { mode: 0o600 });
}
