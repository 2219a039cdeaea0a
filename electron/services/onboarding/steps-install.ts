import { createHash, randomBytes } from 'node:crypto';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { shellQuote } from '../ssh/shell.js';
import type { StepContext } from './context.js';
import { embeddedDiscoveryUrl } from '../discovery/node-address.js';
import { renderAgentConfig } from './agent-config.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { nodeCertificateRenewal, signMachineCsr } from './node-certificate.js';
import { asRoot } from './steps-host.js';
import { hostRuntime } from './runtime-files.js';
import { ensureRuntime } from './steps-runtime.js';
import { packageInstallStep } from './steps-package.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * With the package method, installs the agent's package (steps-package.ts). Else makes sure a suitable
 * Node runs the agent (steps-runtime.ts), then uploads the agent bundle over SFTP to a temporary
 * name, checks its hash, and moves it into place.
 */
export async function uploadStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  const plan = ctx.install?.plan;
  if (plan?.method === 'package') return packageInstallStep(ctx, plan);
  const linked = await ensureRuntime(ctx);
  if (linked) ctx.restartAgent = true;
  if (ctx.facts?.installedAgentSha256 === ctx.bundle.sha256) {
    ctx.log(`agent ${ctx.bundle.sha256.slice(0, 12)} already installed`);
    return linked ? 'done' : 'skipped';
  }
  const part =
    ctx.machine.ssh.user === 'root'
      ? `${hostPaths.installDir}/.spanwise-agent.mjs.part`
      : `.spanwise-agent.${ctx.machine.name}.${randomBytes(4).toString('hex')}.part`;
  if (ctx.machine.ssh.user === 'root') await asRoot(ctx, 'prepare install dir', `mkdir -p ${hostPaths.installDir}`);
  ctx.log(`uploading agent (${ctx.bundle.bytes.length} bytes, sha256 ${ctx.bundle.sha256.slice(0, 12)})`);
  await ctx.session.writeFile(part, ctx.bundle.bytes, 0o600);
  const source = ctx.machine.ssh.user === 'root' ? part : `$(getent passwd ${shellQuote(ctx.machine.ssh.user)} | cut -d: -f6)/${part}`;
  await asRoot(
    ctx,
    'agent install',
    `set -e; src="${source}"; got=$(sha256sum "$src" | cut -d' ' -f1); if [ "$got" != "${ctx.bundle.sha256}" ]; then rm -f "$src"; echo "hash mismatch: $got" >&2; exit 1; fi
     mkdir -p ${hostPaths.installDir}; install -m 0755 "$src" ${hostPaths.agent}.new; mv -f ${hostPaths.agent}.new ${hostPaths.agent}; rm -f "$src"`,
  );
  ctx.restartAgent = true;
  return 'done';
}

/**
 * Writes /etc/spanwise/agent.yaml (root, 0600) when it differs from what is there (with embedded discovery, after
 * finding the URL this node reaches). The new config goes to a temporary file, replacing the old one only once it
 * arrived whole, so a failed write leaves the old config.
 */
export async function configStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  if (ctx.cluster.embeddedDiscovery) ctx.cluster.discoveryUrl = await embeddedDiscoveryUrl(ctx, ctx.cluster.embeddedDiscovery);
  const config = renderAgentConfig(ctx);
  const current = (await asRoot(ctx, 'config read', `sha256sum ${hostPaths.config} 2>/dev/null | cut -d' ' -f1; true`)).trim();
  if (current === sha256(config)) {
    ctx.log('config unchanged');
    return 'skipped';
  }
  const part = `${hostPaths.config}.new`;
  await asRoot(
    ctx,
    'config write',
    `set -e; umask 077; mkdir -p ${hostPaths.configDir}; cat > ${part} || { rm -f ${part}; exit 1; }
     [ "$(sha256sum ${part} | cut -d' ' -f1)" = ${sha256(config)} ] || { rm -f ${part}; echo 'the config arrived incomplete' >&2; exit 1; }; mv -f ${part} ${hostPaths.config}`,
    config,
  );
  ctx.log(`wrote ${hostPaths.config}`);
  ctx.restartAgent = true;
  return 'done';
}

/**
 * Has the agent make its key and CSR on the host, signs it, and installs the certificate and the CA.
 * Signs again when the CA changed, the certificate expires soon, or it lacks the node role and
 * machine name this version checks (node-certificate.ts); the host keeps its key.
 */
export async function certificateStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  const existing = await asRoot(ctx, 'certificate read', `cat ${hostPaths.cert} 2>/dev/null; echo; echo '--ca--'; cat ${hostPaths.caCert} 2>/dev/null; true`);
  const [certPem = '', caPem = ''] = existing.split('--ca--');
  const renewal =
    caPem.trim() === ctx.cluster.ca.certPem.trim()
      ? nodeCertificateRenewal(certPem.trim(), ctx.cluster.ca.certPem, ctx.machine.name)
      : 'the cluster CA changed';
  if (renewal === undefined) {
    ctx.log('API certificate is current');
    return 'skipped';
  }
  if (certPem.trim()) ctx.log(`signing the API certificate again: ${renewal}`);
  const host = ctx.machine.ssh.host;
  const ipFlag = /^[0-9.]+$|:/.test(host) ? ` --ip ${shellQuote(host)}` : ` --dns ${shellQuote(host)}`;
  const csr = await asRoot(
    ctx,
    'certificate request',
    `umask 077; mkdir -p ${hostPaths.tlsDir}; ${hostRuntime.link} ${hostPaths.agent} tls csr --key ${hostPaths.key} --name ${shellQuote(ctx.machine.name)}${ipFlag} --ip 127.0.0.1`,
  );
  if (!csr.includes('BEGIN CERTIFICATE REQUEST'))
    throw new SpanwiseError('CSR_MISSING', 'the agent did not print a certificate request', `check that ${hostRuntime.link} runs the agent bundle on the host`);
  const cert = await signMachineCsr(ctx.cluster.ca, csr, ctx.machine.name, host);
  const install = `set -e; umask 022; awk -v cert=${hostPaths.cert}.new -v ca=${hostPaths.caCert}.new '/-----BEGIN/ { n++ } { print > (n == 1 ? cert : ca) }'
    [ -s ${hostPaths.cert}.new ] && [ -s ${hostPaths.caCert}.new ] || { echo 'certificate or CA missing from the input' >&2; exit 1; }; mv -f ${hostPaths.cert}.new ${hostPaths.cert}; mv -f ${hostPaths.caCert}.new ${hostPaths.caCert}`;
  await asRoot(ctx, 'certificate install', install, `${cert.trim()}\n${ctx.cluster.ca.certPem.trim()}\n`);
  ctx.log('signed the agent API certificate (the key stays on the host)');
  ctx.restartAgent = true;
  return 'done';
}
