import 'reflect-metadata';
import type { CallOptions, ServiceError } from '@grpc/grpc-js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ApiTls } from '../../agent/api/server.js';
import type { KeyPairPem } from '../../agent/shared/pki.js';

/** Test helpers for the agent API's certificates: certificates as older versions signed them, and TLS material. */

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

/**
 * A node certificate as versions before node roles signed it: client and server use, the machine
 * name as common name and DNS name, the host's address, no role. Nodes of an existing cluster hold these.
 */
export async function legacyNodeCertificate(ca: KeyPairPem, machine: string, ip = '127.0.0.1'): Promise<KeyPairPem> {
  const keys = await webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decode(ca.keyPem)[0] as ArrayBuffer, keyAlgorithm, false, ['sign']);
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject: `CN=${machine}`,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 825 * 24 * 3600 * 1000),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: machine },
        { type: 'ip', value: ip },
      ]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** TLS material for the agent API from a key pair and the CA that checks the other side. */
export function tlsOf(pair: KeyPairPem, caPem: string): ApiTls {
  return { ca: Buffer.from(caPem), cert: Buffer.from(pair.certPem), key: Buffer.from(pair.keyPem) };
}

/** Call options with a deadline `ms` from now. */
export const within = (ms = 5000): CallOptions => ({ deadline: new Date(Date.now() + ms) });

/** The gRPC status code and details a unary call ends with: code 0 when it succeeded. */
export function statusOf(start: (done: (error: ServiceError | null) => void) => unknown): Promise<{ code: number; details: string }> {
  return new Promise((resolve) => {
    start((error) => resolve({ code: error?.code ?? 0, details: error?.details ?? '' }));
  });
}
