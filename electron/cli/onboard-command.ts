import type { Command } from '../../agent/lib/cli.js';
import { UsageError } from '../../agent/lib/errors.js';
import type { OnboardingProgress } from '../contract/onboarding.js';
import { dataDirOption } from './options.js';
import type { Services } from '../services/index.js';
import { withServices } from './services.js';

function acceptedKeys(values: unknown, names: string[]): Record<string, string> {
  const accept: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const match = /^(?:([a-z0-9-]+)=)?(SHA256:[A-Za-z0-9+/]{43})$/.exec(item);
    if (!match) throw new UsageError(`--accept-host-key must be SHA256:... or NAME=SHA256:..., got '${item}'`);
    const name = match[1] ?? (names.length === 1 ? names[0] : undefined);
    if (!name) throw new UsageError('with several machines, give --accept-host-key NAME=SHA256:...');
    accept[name] = match[2] as string;
  }
  return accept;
}

function progressLine(p: OnboardingProgress): string {
  const head = `[${p.machine}] ${String(p.percent).padStart(3)}% ${p.step.padEnd(11)} ${p.state}`;
  const lines = [head, ...p.log.map((l) => `[${p.machine}]      ${l}`)];
  if (p.error) lines.push(`[${p.machine}]      error: ${p.error.message}${p.error.hint ? `\n[${p.machine}]      fix: ${p.error.hint}` : ''}`);
  return lines.join('\n');
}

/**
 * A cluster with embedded discovery: nodes must reach it while they join. Served by the app or
 * `spanwise web` on this data dir when one runs; else by this command until it exits, with a warning.
 */
async function serveEmbeddedForRun(services: Services): Promise<void> {
  const cluster = services.clusters.current();
  if (cluster.discovery.mode !== 'embedded') return;
  const served = await services.discovery.ensureServing(cluster.name, cluster.discovery.port);
  process.stderr.write(
    served.state === 'elsewhere'
      ? `discovery: served by the app or 'spanwise web' on this data dir (TCP ${served.port})\n`
      : `warning: cluster ${cluster.name} uses this app's discovery and neither the app nor 'spanwise web' serves it from this data dir, so this command serves it on TCP ${served.port} until it exits. The nodes keep the peers they know after that, but learn no new members or address changes until the app or 'spanwise web' runs again: keep one of them open while nodes join.\n`,
  );
}

/** `spanwise node onboard`: makes machines healthy mesh members, with progress. */
export const onboardCommand: Command = onboardingCommand(['node', 'onboard'], 'onboard machines over SSH: pre-flight, install, certificate, service, verify (safe to re-run)');

/** `spanwise node upgrade`: the same steps; a newer agent bundle is uploaded and restarted, the identity stays. */
export const upgradeCommand: Command = onboardingCommand(['node', 'upgrade'], 'push this build of the agent to onboarded machines and restart it (identity kept)');

function onboardingCommand(path: string[], summary: string): Command {
  return {
    path,
    summary,
    usage: 'NAME... | --all [--concurrency N] [--trust-on-first-use] [--accept-host-key [NAME=]SHA256:...]... [--json]',
    options: { ...dataDirOption, all: { type: 'boolean' }, concurrency: { type: 'string' }, 'trust-on-first-use': { type: 'boolean' }, 'accept-host-key': { type: 'string', multiple: true }, json: { type: 'boolean' } },
    positionals: true,
    async run(values, positionals) {
      if (values.all && positionals.length) throw new UsageError('give machine names or --all, not both');
      if (!values.all && positionals.length === 0) throw new UsageError('give machine names or --all');
      const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError(`--concurrency must be a whole number from 1 to 32, got '${String(values.concurrency)}'`);
      const results = await withServices(values, async (services) => {
        const names = values.all ? services.machines.list().map((m) => m.name) : positionals;
        if (names.length === 0) throw new UsageError('the current cluster has no machines; add some with spanwise node add');
        const hostKeys = { trustOnFirstUse: values['trust-on-first-use'] === true, accept: acceptedKeys(values['accept-host-key'], names) };
        await serveEmbeddedForRun(services);
        const unsubscribe = services.events.subscribe((event, payload) => {
          if (event === 'onboard:progress' && !values.json) process.stdout.write(`${progressLine(payload as OnboardingProgress)}\n`);
        });
        try {
          return await services.onboarding.onboard(names, { concurrency, hostKeys });
        } finally {
          unsubscribe();
        }
      });
      if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else for (const r of results) process.stdout.write(r.ok ? `${r.machine}: onboarded\n` : `${r.machine}: failed at ${r.failedStep}: ${r.error?.message}\n`);
      return results.every((r) => r.ok) ? 0 : 1;
    },
  };
}
