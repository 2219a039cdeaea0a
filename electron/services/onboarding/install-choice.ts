import type { InstallMethod } from '../../contract/onboarding.js';
import type { PreflightFacts } from './preflight.js';
import { runtimeArchOf, type RuntimeArch } from './runtime-manifest.js';

/** The package formats of the agent: Debian's and RPM's. */
export type PackageKind = 'deb' | 'rpm';

/** Whether the desktop has (or can build) the agent's package of one kind for one arch. */
export type PackageAvailability = { available: true } | { available: false; why: string; fix: string };

/** How the agent goes onto a host, decided from pre-flight facts and the requested method. */
export type InstallPlan =
  | { method: 'package'; kind: PackageKind; arch: RuntimeArch }
  | { method: 'files'; why: string }
  | { method: 'blocked'; code: string; message: string; fix: string };

const otherwise = "use --install files (in the app: Install as 'files') or auto";

/**
 * `files` uploads the bundle, runtime and unit; `package` the agent's .deb (dpkg hosts) or .rpm
 * (rpm hosts); `auto` picks `package` where the host has dpkg or rpm and a package is built for its
 * arch (shipped with the app), else `files`. Only `package`, or a host that already has the package
 * (which keeps it: `files` is refused there), builds one on demand.
 */
export async function chooseInstall(
  requested: InstallMethod,
  facts: Pick<PreflightFacts, 'arch' | 'packageFormat' | 'agentPackage'>,
  availability: (arch: RuntimeArch, kind: PackageKind, mayBuild: boolean) => Promise<PackageAvailability>,
): Promise<InstallPlan> {
  const installed = facts.agentPackage;
  if (requested === 'files') {
    if (!installed) return { method: 'files', why: 'asked for' };
    return {
      method: 'blocked',
      code: 'INSTALL_METHOD_CONFLICT',
      message: `the agent is installed on this host from its .${installed} package, and files would overwrite the package's files`,
      fix: 'onboard it with --install package or auto, or remove it first (spanwise node remove NAME)',
    };
  }
  const strict = requested === 'package' || installed !== null;
  const fallback = (code: string, message: string, fix: string): InstallPlan =>
    strict ? { method: 'blocked', code, message, fix } : { method: 'files', why: message };
  const kind = facts.packageFormat;
  if (!kind) return fallback('PACKAGE_TOOL_MISSING', 'the host has neither dpkg nor rpm', otherwise);
  const arch = runtimeArchOf(facts.arch);
  if (!arch)
    return fallback(
      'PACKAGE_ARCH_UNSUPPORTED',
      `Spanwise has no agent package for ${facts.arch || 'this arch'} (it builds x86_64, aarch64 and armv7l)`,
      otherwise,
    );
  const found = await availability(arch, kind, strict);
  if (!found.available) return fallback('PACKAGE_MISSING', found.why, found.fix);
  return { method: 'package', kind, arch };
}
