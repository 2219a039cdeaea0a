import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputFormat } from '../../agent/shared/output-format.js';
import { installMethods, type InstallMethod } from '../contract/onboarding.js';
import type { Services } from '../services/index.js';
import { withClient } from './client.js';
import { progressView, whileProgress } from './onboard-progress.js';
import { dataHelp, dataOptions, numberFlag } from './options.js';

function acceptedKeys(values: unknown, names: string[]): Record<string, string> {
  const accept: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const match = /^(?:([^=]+)=)?(.*)$/.exec(item) as RegExpExecArray;
    const name = match[1] ?? (names.length === 1 ? names[0] : undefined);
    if (!name) throw new UsageError('with several machines, give --accept-host-key NAME=SHA256:...');
    accept[name] = match[2] as string;
  }
  return accept;
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

const flags = { names: 'NAME', concurrency: '--concurrency', 'hostKeys.accept': '--accept-host-key', install: '--install' };

/** `spanwise node onboard`: makes machines healthy mesh members, with progress. */
export const onboardCommand: Command = onboardingCommand(
  ['node', 'onboard'],
  'onboard machines over SSH: pre-flight, install, certificate, service, verify (safe to re-run)',
  [
    'spanwise node onboard --all',
    'spanwise node onboard edge1 --accept-host-key SHA256:...',
    'spanwise node onboard --all --install package',
    'spanwise node onboard --all -o json | jq -c .',
  ],
);

/** `spanwise node upgrade`: the same steps; a newer agent bundle is uploaded and restarted, the identity stays. */
export const upgradeCommand: Command = onboardingCommand(
  ['node', 'upgrade'],
  'push this build of the agent to onboarded machines and restart it (identity kept)',
  ['spanwise node upgrade --all'],
);

function onboardingCommand(path: string[], summary: string, examples: string[]): Command {
  return {
    path,
    summary,
    usage: 'NAME... | --all [--concurrency N] [--install auto|package|files] [--trust-on-first-use] [--accept-host-key [NAME=]SHA256:...]... [-o FORMAT]',
    options: {
      ...dataOptions,
      all: { type: 'boolean' },
      concurrency: { type: 'string' },
      install: { type: 'string' },
      'trust-on-first-use': { type: 'boolean' },
      'accept-host-key': { type: 'string', multiple: true },
    },
    optionHelp: {
      ...dataHelp,
      output: {
        ...dataHelp.output!,
        description: 'output format: table (live progress on a terminal, a line per event when piped), json (one object per event), yaml (the results)',
      },
      all: { description: 'every machine of the current cluster' },
      concurrency: { description: 'how many machines to work on at once (1 to 32)', default: '4', value: 'N' },
      install: {
        description: 'how to install the agent: package (its .deb or .rpm), files (bundle, runtime and unit), or auto (package where the host has dpkg or rpm)',
        default: 'auto',
        value: 'auto|package|files',
        choices: installMethods,
      },
      'trust-on-first-use': { description: 'trust a host key seen for the first time without confirming its fingerprint' },
      'accept-host-key': {
        description: 'confirm a host key fingerprint shown by an earlier attempt (NAME= with several machines)',
        value: '[NAME=]SHA256:...',
      },
    },
    examples,
    positionals: true,
    async run(values, positionals) {
      const format = outputFormat(values);
      if (values.all && positionals.length) throw new UsageError('give machine names or --all, not both');
      if (!values.all && positionals.length === 0) throw new UsageError('give machine names or --all');
      const concurrency = numberFlag(values.concurrency);
      const results = await withClient(values, async (client) => {
        const names = values.all ? (await client.invoke('machine:list', {})).map((m) => m.name) : positionals;
        if (names.length === 0) throw new UsageError('the current cluster has no machines; add some with spanwise node add');
        const hostKeys = { trustOnFirstUse: values['trust-on-first-use'] === true, accept: acceptedKeys(values['accept-host-key'], names) };
        await serveEmbeddedForRun(client.services);
        const view = progressView(process.stdout, format, names);
        const request = {
          names,
          hostKeys,
          ...(concurrency === undefined ? {} : { concurrency }),
          ...(values.install === undefined ? {} : { install: values.install as InstallMethod }),
        };
        return whileProgress(
          client.services.events,
          (p) => view.update(p),
          async () => {
            const outcome = await client.invoke('node:onboard', request, flags);
            view.done(outcome);
            return outcome;
          },
        );
      });
      return results.every((r) => r.ok) ? 0 : 1;
    },
  };
}
