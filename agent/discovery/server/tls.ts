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
export function reloadingCredentials(files: TlsFiles | undefined): { credentials: ServerCredentials; ready: () => Promise<void> } {
  if (!files) return { credentials: ServerCredentials.createInsecure(), ready: () => Promise.resolve() };
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
  const credentials = experimental.createCertificateProviderServerCredentials(provider, null, false);
  /** Resolves once the files have been read (call after binding, so the server's own listener is registered). */
  const ready = () =>
    new Promise<void>((resolve) => {
      const listener = (update: unknown) => {
        if (!update) return;
        provider.removeIdentityCertificateListener(listener);
        setImmediate(resolve);
      };
      provider.addIdentityCertificateListener(listener);
    });
  return { credentials, ready };
}
