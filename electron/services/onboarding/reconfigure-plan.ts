import { SpanwiseError, toEnvelope } from '../../../agent/shared/errors.js';
import { pool } from '../../../agent/shared/pool.js';
import type { OnboardingResult } from '../../contract/onboarding.js';
import type { StepContext, StepRunner } from './context.js';
import type { RunnerDeps } from './runner.js';
import { detectInit, installedAgentLine, kvFunction } from './preflight-script.js';
import { readKeyValues } from './preflight.js';
import { asRoot } from './steps-host.js';
import { configStep } from './steps-install.js';
import { agentAnswers, initScriptOrSupervised } from './steps-service.js';

/**
 * Checks that the node runs this desktop's agent build (the sha256 of the installed bundle, read as
 * pre-flight reads it): a config this desktop renders may hold keys an older agent refuses at start.
 */
export async function agentBuildStep(ctx: StepContext): Promise<'done'> {
  const output = await asRoot(ctx, 'agent build check', `${kvFunction}\n${installedAgentLine}\ntrue`);
  const installed = readKeyValues(output).spanwise_agent_sha256 ?? null;
  if (installed !== ctx.bundle.sha256)
    throw new SpanwiseError(
      'AGENT_OUTDATED',
      `${ctx.machine.name} runs another agent build than this desktop (${installed ? `sha256 ${installed.slice(0, 12)}` : 'none installed'}, this desktop's ${ctx.bundle.sha256.slice(0, 12)}); nothing was written`,
      `run spanwise node upgrade ${ctx.machine.name} (or --all)`,
      { installed: installed ?? 'none', expected: ctx.bundle.sha256 },
    );
  ctx.log(`agent ${installed.slice(0, 12)} is this desktop's build`);
  return 'done';
}

/** Restarts the agent when the config step wrote a new config, else leaves it running. */
export async function restartStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  if (!ctx.restartAgent) {
    ctx.log('config unchanged: the agent keeps running, not restarted');
    return 'skipped';
  }
  const script = `${detectInit}
if [ "$init" = systemd ]; then cat >/dev/null; systemctl restart spanwise-agent && echo 'restarted spanwise-agent.service'
else
${initScriptOrSupervised(true)}
fi`;
  ctx.log(`agent: ${(await asRoot(ctx, 'agent restart', script, ctx.bundle.openrc)).trim()}`);
  return 'done';
}

/** Errors whose own hint speaks of onboarding; a push says what to do instead. */
const generic = new Set(['REMOTE_COMMAND_FAILED', 'AGENT_NOT_ANSWERING']);

/** A step whose failure says what the node is left with and how to finish the push. */
function telling(step: StepRunner, left: string, fix: (name: string) => string): StepRunner {
  return async (ctx) => {
    try {
      return await step(ctx);
    } catch (error) {
      const { code, message, hint, details } = toEnvelope(error);
      const todo = hint && !generic.has(code) ? hint : fix(ctx.machine.name);
      throw new SpanwiseError(
        code,
        message,
        `${ctx.machine.name} ${left}; ${todo}, then apply the settings again (nodes that have them are left alone)`,
        details,
      );
    }
  };
}

/**
 * A settings push: the agent build checked to be this desktop's, the agent config rendered as onboarding renders it, written only where it
 * differs from the host's, the agent restarted only then, and the agent checked to answer.
 * Nothing else of onboarding runs; the agent, its runtime, certificate and services stay.
 */
export const reconfigureSteps: RunnerDeps['steps'] = {
  preflight: telling(agentBuildStep, 'keeps its old config', () => 'fix the cause shown'),
  config: telling(configStep, 'keeps its old config', () => 'fix the cause shown'),
  service: telling(restartStep, 'has the new config but its agent did not restart', () => 'fix the cause shown'),
  verify: telling(agentAnswers, 'has the new config but its agent does not answer', (name) => `see why with spanwise node logs ${name}`),
};

/** How many nodes a settings push works on at once. */
const PUSH_CONCURRENCY = 4;

/** Runs a push (`run`, a `push` run with `reconfigureSteps`) on every machine, four at once. */
export async function pushConfig<M>(machines: readonly M[], run: (machine: M) => Promise<OnboardingResult>): Promise<OnboardingResult[]> {
  return pool(machines, PUSH_CONCURRENCY, run);
}
