import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { experimental, ServerCredentials } from '@grpc/grpc-js';

/** Server certificate files; re-read when they change. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** How often the files are checked for changes (default 60 s). */
  reloadIntervalMs?: number;
}

/**
 * Credentials that re-read the certificate and key every `reloadIntervalMs`, so a
 * renewed certificate is served to new connections without a restart. The files are
 * checked once up front so a bad path or a mismatched pair fails at startup.
 */
export function reloadingCredentials(files: TlsFiles | undefined): ServerCredentials {
  if (!files) return ServerCredentials.createInsecure();
  try {
    createSecureContext({ cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) });
  } catch (error) {
    throw new Error(`TLS certificate ${files.certFile} / key ${files.keyFile}: ${(error as Error).message}`);
  }
  const provider = new experimental.FileWatcherCertificateProvider({
    certificateFile: files.certFile,
    privateKeyFile: files.keyFile,
    refreshIntervalMs: files.reloadIntervalMs ?? 60_000,
  });
  // grpc-js passes its first argument on as the identity provider (the parameter names are swapped).
  return experimental.createCertificateProviderServerCredentials(provider, null, false);
}
