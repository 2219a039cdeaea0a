import { SpanwiseError } from '../../../agent/shared/errors.js';
import { mustRunAsRoot } from '../ssh/privileged.js';
import type { StepContext } from './context.js';
import { preflightScript } from './preflight-script.js';
import { parsePreflight } from './preflight.js';
import { assessPreflight } from './preflight-assess.js';
import { chooseInstall } from './install-choice.js';

/** Runs a script as root on the machine; a non-zero exit fails the step with the output's tail. */
export function asRoot(ctx: StepContext, step: string, script: string, input = ''): Promise<string> {
  return mustRunAsRoot(ctx.session, step, script, ctx.sudoPassword, input);
}

/** Reads the host and stops on blockers before anything changes. */
export async function preflightStep(ctx: StepContext): Promise<'done'> {
  const sent = Date.now();
  const output = await asRoot(ctx, 'pre-flight', preflightScript);
  const facts = parsePreflight(output, Math.round((sent + Date.now()) / 2));
  ctx.facts = facts;
  ctx.log(
    `${facts.os} ${facts.osVersion} ${facts.arch}, kernel ${facts.kernel}, init ${facts.init}, WireGuard ${facts.kernelWireguard ? 'kernel' : facts.wireguardGoVersion ? 'wireguard-go' : 'missing'}, MTU ${facts.defaultLinkMtu ?? '?'} on ${facts.defaultLink ?? '?'}`,
  );
  const issues = assessPreflight(facts);
  for (const issue of issues) ctx.log(`${issue.severity}: ${issue.message}${issue.severity === 'info' ? '' : ` (fix: ${issue.fix})`}`);
  const blocker = issues.find((issue) => issue.severity === 'blocker');
  if (blocker) throw new SpanwiseError(blocker.code, blocker.message, blocker.fix);
  if (ctx.install) {
    const { packages } = ctx.install;
    const plan = await chooseInstall(ctx.install.requested, facts, (arch, kind, mayBuild) => packages.availability(arch, kind, ctx.bundle, mayBuild));
    if (plan.method === 'blocked') throw new SpanwiseError(plan.code, plan.message, plan.fix);
    ctx.install.plan = plan;
    ctx.log(plan.method === 'package' ? `installs the agent from its .${plan.kind} package` : `installs the agent as files (${plan.why})`);
  }
  return 'done';
}

const installCommands: Record<string, (packages: string[]) => string> = {
  'apt-get': (p) =>
    `DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${p.join(' ')}`,
  dnf: (p) => `dnf install -y ${p.join(' ')}`,
  yum: (p) => `yum install -y ${p.join(' ')}`,
  apk: (p) => `apk add --no-cache ${p.join(' ')}`,
  zypper: (p) => `zypper --non-interactive install ${p.join(' ')}`,
  pacman: (p) => `pacman -Sy --noconfirm --needed ${p.join(' ')}`,
};

/** Installs what the host lacks: wireguard-tools, wireguard-go (without kernel WireGuard); Node comes with the agent (upload step). */
export async function packagesStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  const facts = ctx.facts;
  if (!facts) throw new SpanwiseError('STEP_ORDER', 'pre-flight facts are missing');
  const packages = [!facts.wgVersion && 'wireguard-tools', !facts.kernelWireguard && !facts.wireguardGoVersion && 'wireguard-go'].filter(Boolean) as string[];
  if (packages.length === 0) {
    ctx.log('wireguard-tools and WireGuard already present');
    return 'skipped';
  }
  const install = facts.packageManager ? installCommands[facts.packageManager] : undefined;
  if (!install)
    throw new SpanwiseError(
      'NO_PACKAGE_MANAGER',
      `cannot install ${packages.join(', ')}: no known package manager`,
      `install ${packages.join(', ')} by hand, then re-run`,
    );
  ctx.log(`installing ${packages.join(', ')} with ${facts.packageManager}`);
  await asRoot(ctx, 'package install', install(packages));
  return 'done';
}
