import { SpanwiseError } from '../../../agent/shared/errors.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import type { StepContext } from './context.js';
import type { PackageKind } from './install-choice.js';
import type { AgentPackageFile } from './package-files.js';
import type { RuntimeArch } from './runtime-manifest.js';
import { asRoot } from './steps-host.js';
import { uploadChecked } from './upload-parts.js';

/** Where the host keeps the uploaded package, so a failed install does not upload it again. */
export const hostPackageCache = `${hostPaths.installDir}/packages`;

/** Shell that installs a package file offline: dpkg -i; rpm -U --replacepkgs, or dnf/yum localinstall on a first install. */
export function packageInstallCommand(kind: PackageKind, file: string, reinstall: boolean): string {
  if (kind === 'deb') return `dpkg -i ${file}`;
  const rpm = `rpm -U --replacepkgs ${file}`;
  if (reinstall) return rpm;
  return `if command -v dnf >/dev/null 2>&1; then dnf -y -q --disablerepo='*' localinstall ${file}; elif command -v yum >/dev/null 2>&1; then yum -y -q --disablerepo='*' localinstall ${file}; else ${rpm}; fi`;
}

/** Shell that runs the agent with the package's unit: a unit the files method left in /etc would shadow it, so it goes. */
export function packagedUnitStart(restart: boolean): string {
  return `set -e; rm -f ${hostPaths.agentUnit}; systemctl daemon-reload; systemctl enable spanwise-agent >/dev/null 2>&1; systemctl ${restart ? 'restart' : 'start'} spanwise-agent`;
}

/** Shell that prints the installed package's version and the sha256 of the agent it holds. */
const installedCheck = (kind: PackageKind) =>
  `${kind === 'deb' ? "dpkg-query -W -f '${Version}' spanwise-agent" : "rpm -q --qf '%{VERSION}' spanwise-agent"}; echo; sha256sum ${hostPaths.agent} | cut -d' ' -f1`;

/**
 * Installs the agent from its .deb or .rpm: nothing when the same version holding the same agent
 * is installed; else uploads the package (unless the host's cache has it, checked by sha256) and
 * installs it offline with the host's own tool, then checks what got installed.
 */
export async function packageInstallStep(ctx: StepContext, plan: { kind: PackageKind; arch: RuntimeArch }): Promise<'done' | 'skipped'> {
  const facts = ctx.facts;
  if (!facts || !ctx.install) throw new SpanwiseError('STEP_ORDER', 'pre-flight facts are missing');
  const pkg = await ctx.install.packages.get(plan.arch, plan.kind, ctx.bundle);
  if (facts.agentPackage === plan.kind && facts.agentPackageVersion === pkg.version && facts.installedAgentSha256 === pkg.bundleSha256) {
    ctx.log(`spanwise-agent ${pkg.version} (.${plan.kind}, agent ${pkg.bundleSha256.slice(0, 12)}) already installed`);
    return 'skipped';
  }
  const cached = `${hostPackageCache}/${pkg.name}`;
  const cachedSha = (await asRoot(ctx, 'package cache check', `sha256sum ${cached} 2>/dev/null | cut -d' ' -f1; true`)).trim();
  if (cachedSha === pkg.sha256) ctx.log(`${pkg.name} already cached at ${cached}`);
  else {
    ctx.log(`uploading ${pkg.name} (${pkg.bytes} bytes, sha256 ${pkg.sha256.slice(0, 12)})`);
    await uploadChecked(ctx, pkg, 'package', cached);
  }
  await installCached(ctx, plan.kind, pkg, cached, facts.agentPackage !== null);
  ctx.restartAgent = true;
  return 'done';
}

async function installCached(ctx: StepContext, kind: PackageKind, pkg: AgentPackageFile, cached: string, reinstall: boolean): Promise<void> {
  const tool = kind === 'deb' ? 'dpkg -i' : reinstall ? 'rpm -U' : 'the package manager';
  const output = await asRoot(
    ctx,
    'package install',
    `set -e; ${packageInstallCommand(kind, cached, reinstall)} >/dev/null
     find ${hostPackageCache} -maxdepth 1 -type f ! -name ${pkg.name} -delete
     ${installedCheck(kind)}`,
  );
  const [version = '', sha = ''] = output.trim().split('\n').slice(-2);
  if (version !== pkg.version || sha !== pkg.bundleSha256)
    throw new SpanwiseError(
      'PACKAGE_INSTALL_MISMATCH',
      `after ${tool} the host has spanwise-agent ${version || 'none'} with agent ${sha.slice(0, 12) || 'none'}, expected ${pkg.version} with ${pkg.bundleSha256.slice(0, 12)}`,
      'check the host package database (dpkg -s spanwise-agent or rpm -qi spanwise-agent), then re-run',
    );
  ctx.log(`installed spanwise-agent ${version} from ${pkg.name} with ${tool} (agent sha256 ${sha.slice(0, 12)})`);
}
