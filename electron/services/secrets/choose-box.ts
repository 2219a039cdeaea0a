import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { SecretBoxKind, SecretsInfo } from '../../contract/app.js';

/** What the desktop app knows of the OS keychain (Electron safeStorage), as plain facts. */
export interface KeychainFacts {
  /** `safeStorage.isEncryptionAvailable()`. */
  available: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux; null on macOS and Windows. */
  backend: string | null;
}

/** True when the keychain really protects secrets: available, and on Linux not the plain-text backend. */
export function keychainProtects(facts: KeychainFacts): boolean {
  return facts.available && facts.backend !== 'basic_text' && facts.backend !== 'unknown';
}

const keychainName = (facts: KeychainFacts) => (facts.backend ? `the OS keyring (${facts.backend})` : 'the OS keychain');

/**
 * Picks the box for a data dir from what sealed it before (`recorded`, null
 * when nothing has) and the keychain the caller offers (null for the CLI and
 * the web UI, which cannot use it). A data dir is never opened with the other
 * box: a mismatch the caller cannot resolve is an error that names the fix.
 */
export function chooseBox(recorded: SecretBoxKind | null, keychain: KeychainFacts | null): SecretsInfo {
  if (recorded === 'keyfile') {
    return { box: 'keyfile', reason: 'Secrets in this data dir were sealed with its 0600 key file (secret.key), so the key file keeps sealing them.' };
  }
  if (recorded === 'keychain') {
    if (!keychain) {
      throw new SpanwiseError(
        'SECRET_BOX_MISMATCH',
        "this data dir's secrets are sealed by the desktop app's OS keychain, which the CLI and the web UI cannot open",
        'use the desktop app for this data dir, or give the CLI a separate one with --data-dir (or SPANWISE_HOME)',
      );
    }
    if (!keychainProtects(keychain)) {
      throw new SpanwiseError(
        'KEYCHAIN_UNAVAILABLE',
        `this data dir's secrets are sealed by the OS keychain, and ${keychainName(keychain)} cannot open them now`,
        keychain.backend === null
          ? 'unlock the keychain and start Spanwise again'
          : 'start and unlock a keyring (GNOME Keyring or KWallet) in this desktop session and start Spanwise again, or set SPANWISE_HOME to a new data dir',
      );
    }
    return { box: 'keychain', reason: `Secrets are sealed by ${keychainName(keychain)}.` };
  }
  if (!keychain) return { box: 'keyfile', reason: 'The CLI and the web UI seal secrets with a 0600 key file (secret.key) in the data dir.' };
  if (keychainProtects(keychain)) return { box: 'keychain', reason: `Secrets are sealed by ${keychainName(keychain)}.` };
  return {
    box: 'keyfile',
    reason: `No OS keyring protects secrets on this desktop (${keychain.available ? `backend ${keychain.backend}` : 'encryption unavailable'}), so they are sealed with a 0600 key file (secret.key) in the data dir.`,
  };
}
