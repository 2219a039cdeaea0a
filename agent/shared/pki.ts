import 'reflect-metadata';
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { nodeNameUri, ROLE_URI } from './cert-roles.js';
import { SpanwiseError } from './errors.js';

/**
 * The agent API's PKI, shared by the desktop (CA, signing) and the agent (its
 * own key and CSR, made on the host so the key never leaves it). ECDSA P-256,
 * PEM everywhere.
 */
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

/** A certificate with its private key, both PEM. */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

/** Subject alternative names for a certificate; `uri` carries roles and machine names (cert-roles.ts). */
export interface AltNames {
  dns?: string[];
  ip?: string[];
  uri?: string[];
}

/** What a signed certificate may be used for: a node serves, the desktop calls. Never both. */
export type CertificateUse = 'server' | 'client';

async function newKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
}

async function keyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function keyFromPem(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', x509.PemConverter.decode(pem)[0] as ArrayBuffer, keyAlgorithm, false, ['sign']);
}

function altNameExtension(names: AltNames): x509.Extension[] {
  const entries = [
    ...(names.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(names.ip ?? []).filter((ip) => isIP(ip)).map((value) => ({ type: 'ip' as const, value })),
    ...(names.uri ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  return entries.length ? [new x509.SubjectAlternativeNameExtension(entries)] : [];
}

function serial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** Creates a self-signed CA for a cluster's agent API. */
export async function createCa(commonName: string, validityDays = 3650): Promise<KeyPairPem> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + validityDays * DAY),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

/** Makes a private key and a CSR for it (run on the host that keeps the key). */
export async function createKeyAndCsr(commonName: string, altNames: AltNames = {}): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await newKeys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${commonName}`, keys, signingAlgorithm, extensions: altNameExtension(altNames) });
  return { keyPem: await keyToPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/** Makes a CSR for an existing private key (a re-run keeps the host's key). */
export async function createCsrForKey(keyPem: string, commonName: string, altNames: AltNames = {}): Promise<string> {
  const privateKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decode(keyPem)[0] as ArrayBuffer, keyAlgorithm, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true }, keyAlgorithm, true, ['verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys: { privateKey, publicKey },
    signingAlgorithm,
    extensions: altNameExtension(altNames),
  });
  return csr.toString('pem');
}

/** Signs a CSR with the CA after checking its signature. The signer chooses the names, not the CSR. */
export async function signCsr(
  ca: KeyPairPem,
  csrPem: string,
  options: { commonName: string; altNames?: AltNames; use: CertificateUse; validityDays?: number },
): Promise<string> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new SpanwiseError('CSR_INVALID', 'the certificate request is not a valid PEM CSR', 're-run the agent key step on the host');
  }
  if (!(await csr.verify()))
    throw new SpanwiseError('CSR_INVALID', 'the certificate request signature does not verify', 're-run the agent key step on the host');
  const caCert = new x509.X509Certificate(ca.certPem);
  const usages = options.use === 'server' ? [x509.ExtendedKeyUsage.serverAuth] : [x509.ExtendedKeyUsage.clientAuth];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.commonName}`,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + (options.validityDays ?? 825) * DAY),
    publicKey: csr.publicKey,
    signingKey: await keyFromPem(ca.keyPem),
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(usages),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      ...altNameExtension(options.altNames ?? {}),
    ],
  });
  return cert.toString('pem');
}

/** Issues a key and certificate in one go (tests; the role issuers below for real use). */
export async function issueCertificate(ca: KeyPairPem, commonName: string, use: CertificateUse, altNames: AltNames = {}): Promise<KeyPairPem> {
  const { keyPem, csrPem } = await createKeyAndCsr(commonName, altNames);
  return { keyPem, certPem: await signCsr(ca, csrPem, { commonName, altNames, use }) };
}

/** Signs a node's CSR: serverAuth only, with the node role and its machine name next to the host's own names. */
export function signNodeCsr(ca: KeyPairPem, csrPem: string, machine: string, names: Omit<AltNames, 'uri'> = {}): Promise<string> {
  return signCsr(ca, csrPem, { commonName: machine, altNames: { ...names, uri: [ROLE_URI.node, nodeNameUri(machine)] }, use: 'server' });
}

/** Issues a node certificate with its key (tests and the lab; onboarding signs the host's own CSR). */
export async function issueNodeCertificate(ca: KeyPairPem, machine: string, names: Omit<AltNames, 'uri'> = {}): Promise<KeyPairPem> {
  const { keyPem, csrPem } = await createKeyAndCsr(machine);
  return { keyPem, certPem: await signNodeCsr(ca, csrPem, machine, names) };
}

/**
 * Signs the CSR of a node's discovery service: serverAuth only, the discovery role and the names
 * agents dial it by; no node role or machine name, so it is never taken for the node's agent.
 */
export function signDiscoveryCsr(ca: KeyPairPem, csrPem: string, machine: string, names: Omit<AltNames, 'uri'> = {}): Promise<string> {
  return signCsr(ca, csrPem, { commonName: `${machine} discovery`, altNames: { ...names, uri: [ROLE_URI.discovery] }, use: 'server' });
}

/** Issues the desktop's client certificate: clientAuth only, with the desktop role. */
export function issueDesktopCertificate(ca: KeyPairPem, commonName = 'spanwise-desktop'): Promise<KeyPairPem> {
  return issueCertificate(ca, commonName, 'client', { uri: [ROLE_URI.desktop] });
}

/** SHA-256 fingerprint of a PEM certificate, colon-separated hex. */
export function certificateFingerprint(certPem: string): string {
  return new NodeX509(certPem).fingerprint256;
}
