import { hasRole } from '../../../agent/shared/cert-roles.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { signDiscoveryCsr } from '../../../agent/shared/pki.js';
import { shellQuote } from '../ssh/shell.js';
import type { StepContext } from './context.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { currentCertificate, nodeHostNames, serverOnly } from './node-certificate.js';
import { asRoot } from './steps-host.js';
import { hostRuntime } from './runtime-files.js';

/**
 * Why the discovery service's installed certificate must be signed again, or undefined when it is
 * current: another CA, expiring within 30 days, not the discovery role with serverAuth only, or
 * not naming `host` (the address written into every agent's discovery URL).
 */
export function discoveryCertificateRenewal(certPem: string, caPem: string, host: string, now = Date.now()): string | undefined {
  const cert = currentCertificate(certPem, caPem, now);
  if (typeof cert === 'string') return cert;
  if (!serverOnly(cert)) return 'not for server use only';
  if (!hasRole({ subjectaltname: cert.subjectAltName }, 'discovery')) return 'no discovery role';
  if (cert.checkHost(host) === undefined && cert.checkIP(host) === undefined) return `does not name ${host}`;
  return undefined;
}

/**
 * On the discovery node: has the agent make the discovery key on the host (kept there, 0600) and
 * a CSR, signs it with the cluster CA and installs the certificate. Returns whether it changed
 * (the service must then restart: systemd hands it a copy through LoadCredential=).
 */
export async function discoveryCertificate(ctx: StepContext): Promise<boolean> {
  const host = ctx.machine.ssh.host;
  const existing = await asRoot(ctx, 'discovery certificate read', `cat ${hostPaths.discoveryCert} 2>/dev/null; true`);
  const renewal = discoveryCertificateRenewal(existing.trim(), ctx.cluster.ca.certPem, host);
  if (renewal === undefined) {
    ctx.log('discovery TLS certificate is current');
    return false;
  }
  if (existing.trim()) ctx.log(`signing the discovery certificate again: ${renewal}`);
  const names = nodeHostNames(ctx.machine.name, host);
  const flags = [...(names.dns ?? []).map((d) => `--dns ${shellQuote(d)}`), ...(names.ip ?? []).map((ip) => `--ip ${shellQuote(ip)}`)].join(' ');
  const csr = await asRoot(
    ctx,
    'discovery certificate request',
    `umask 077; mkdir -p ${hostPaths.tlsDir}; ${hostRuntime.link} ${hostPaths.agent} tls csr --key ${hostPaths.discoveryKey} --name ${shellQuote(ctx.machine.name)} ${flags}`,
  );
  if (!csr.includes('BEGIN CERTIFICATE REQUEST'))
    throw new SpanwiseError('CSR_MISSING', 'the agent did not print a certificate request for discovery', 'check that node runs the agent bundle on the host');
  const cert = await signDiscoveryCsr(ctx.cluster.ca, csr, ctx.machine.name, names);
  await asRoot(
    ctx,
    'discovery certificate install',
    `set -e; umask 022; cat > ${hostPaths.discoveryCert}.new; mv -f ${hostPaths.discoveryCert}.new ${hostPaths.discoveryCert}`,
    `${cert.trim()}\n`,
  );
  ctx.log(`signed the discovery TLS certificate for ${host} (the key stays on the host)`);
  return true;
}
