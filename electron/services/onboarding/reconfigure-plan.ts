import { SpanwiseError, toEnvelope } from '../../../agent/shared/errors.js';
import { pool } from '../../../agent/shared/pool.js';
import type { OnboardingResult } from '../../contract/onboarding.js';
import type { RunStore } from '../store/runs.js';
import type { StepContext, StepRunner } from './context.js';
import type { RunnerDeps } from './runner.js';
import { asRoot } from './steps-host.js';
import { configStep } from './steps-install.js';
import { agentAnswers, initScriptOrSupervised } from './steps-service.js';

/**
 * Restarts the agent when the config step wrote a new config, else leaves it running. No pre-flight
 * runs before it, so it finds the init system on the host the way pre-flight does.
 */
export async function restartStep(ctx: StepContext): Promise<'done' | 'skipped'> {
  if (!ctx.restartAgent) {
    ctx.log('config unchanged: the agent keeps running, not restarted');
    return 'skipped';
  }
  const script = `if [ -d /run/systemd/system ]; then cat >/dev/null; systemctl restart spanwise-agent && echo 'restarted spanwise-agent.service'
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
 * A settings push: the agent config rendered as onboarding renders it, written only where it
 * differs from the host's, the agent restarted only then, and the agent checked to answer.
 * Nothing else of onboarding runs; the agent, its runtime, certificate and services stay.
 */
export const reconfigureSteps: RunnerDeps['steps'] = {
  config: telling(configStep, 'keeps its old config', () => 'fix the cause shown'),
  service: telling(restartStep, 'has the new config but its agent did not restart', () => 'fix the cause shown'),
  verify: telling(agentAnswers, 'has the new config but its agent does not answer', (name) => `see why with spanwise node logs ${name}`),
};

/** How many nodes a settings push works on at once. */
const PUSH_CONCURRENCY = 4;

/**
 * Runs a push (`run`, with `reconfigureSteps`) on every machine, four at once. A result that went
 * through says `changed`: false when the node already had its config and nothing was written or restarted.
 */
export async function pushConfig<M>(
  machines: readonly M[],
  run: (machine: M) => Promise<OnboardingResult>,
  runs: Pick<RunStore, 'steps'>,
): Promise<OnboardingResult[]> {
  return pool(machines, PUSH_CONCURRENCY, async (machine) => {
    const result = await run(machine);
    if (!result.ok) return result;
    return { ...result, changed: runs.steps(result.runId).some((row) => row.step === 'config' && row.state === 'done') };
  });
}
