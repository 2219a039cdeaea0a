import { X509Certificate } from 'node:crypto';
import { EKU, machineIdentityRefusal, ROLE_URI, uriNames } from '../../../agent/shared/cert-roles.js';
import { signNodeCsr, type AltNames, type KeyPairPem } from '../../../agent/shared/pki.js';

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/**
 * An installed certificate read and checked as every certificate the desktop signs must be:
 * issued by this CA and not expiring within 30 days. Returns the certificate, or why it must
 * be signed again.
 */
export function currentCertificate(certPem: string, caPem: string, now = Date.now()): X509Certificate | string {
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    ca = new X509Certificate(caPem);
  } catch {
    return 'no readable certificate';
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'signed by another CA';
  if (Date.parse(cert.validTo) - now <= RENEW_BEFORE_MS) return 'expires within 30 days';
  return cert;
}

/** Whether a certificate is for server use only. */
export const serverOnly = (cert: X509Certificate): boolean => (cert.keyUsage ?? []).length === 1 && cert.keyUsage?.[0] === EKU.serverAuth;

/**
 * Why a node's installed agent certificate must be signed again, or undefined when it is current:
 * another CA, expiring within 30 days, or not what this version signs (the node role and the
 * machine's name as URI SANs, serverAuth only). Certificates from before roles existed were
 * signed for client use too and name the machine by common name only; this re-signs them.
 */
export function nodeCertificateRenewal(certPem: string, caPem: string, machine: string, now = Date.now()): string | undefined {
  const cert = currentCertificate(certPem, caPem, now);
  if (typeof cert === 'string') return cert;
  if (!serverOnly(cert)) return 'signed for client use too (from before node roles)';
  const names = { subjectaltname: cert.subjectAltName, ext_key_usage: cert.keyUsage ?? [] };
  if (!uriNames(names).includes(ROLE_URI.node)) return 'no node role (from before node roles)';
  const refusal = machineIdentityRefusal(names, machine);
  return refusal === undefined ? undefined : `does not name this machine: ${refusal}`;
}

/**
 * The names a node certificate carries besides its role and machine name: the machine name and
 * SSH host as DNS or IP names, and 127.0.0.1, for tools that check those. The desktop itself
 * checks only the machine name (cert-roles.ts).
 */
export function nodeHostNames(machine: string, host: string): Omit<AltNames, 'uri'> {
  return /[a-z]/i.test(host) && !host.includes(':') ? { dns: [machine, host], ip: ['127.0.0.1'] } : { dns: [machine], ip: [host, '127.0.0.1'] };
}

/** Signs a node's CSR (made on the host, whose key never leaves it) as this machine's agent certificate. */
export function signMachineCsr(ca: KeyPairPem, csrPem: string, machine: string, host: string): Promise<string> {
  return signNodeCsr(ca, csrPem, machine, nodeHostNames(machine, host));
}
