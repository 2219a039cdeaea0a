import type { SecretsInfo } from '../../contract/app.js';
import { chooseBox, type KeychainFacts } from './choose-box.js';
import { readSealRecord, writeSealRecord } from './seal-record.js';
import { KeyFileSecretBox, type SecretBox } from './secret-box.js';

/** The OS keychain as the desktop app offers it: what it knows of it, and a box over it. */
export interface Keychain {
  facts: KeychainFacts;
  box(): SecretBox;
}

/** The box a backend seals with, and which one it is and why. */
export interface OpenedBox {
  box: SecretBox;
  info: SecretsInfo;
}

/**
 * Opens the box that seals `dataDir`: chosen from the data dir's record and the
 * keychain on offer (none for the CLI and the web UI), and recorded in the data
 * dir before anything is sealed with it.
 */
export function openSecretBox(dataDir: string, sample: () => Buffer | null, keychain?: Keychain): OpenedBox {
  const record = readSealRecord(dataDir, sample);
  const info = chooseBox(record.box, keychain?.facts ?? null);
  const box = info.box === 'keychain' && keychain ? keychain.box() : new KeyFileSecretBox(dataDir);
  if (!record.marked) writeSealRecord(dataDir, info.box);
  return { box, info };
}
