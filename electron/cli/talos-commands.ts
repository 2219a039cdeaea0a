import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { OUTPUT_FORMATS } from '../../agent/shared/output-format.js';
import { TALOS_CONFIG_MAX_CHARS, type TalosImport } from '../contract/clusters.js';
import { withClient } from './client.js';
import { dataDirHelp, dataDirOption } from './options.js';

/**
 * The text of a `--from-talos` file, read here and sent through the contract. Its size is
 * checked before it is read; a missing or oversized file is a usage error naming the flag.
 */
export function readTalosFile(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`--from-talos: ${path} is not a file`, 'pass the secrets.yaml from talosctl gen secrets, or a machine config');
  const size = stat.size;
  if (size > TALOS_CONFIG_MAX_CHARS)
    throw new UsageError(`--from-talos: ${path} is ${size} bytes; a Talos secrets.yaml or machine config is a few KiB (at most 1 MiB)`, 'pass the right file');
  return readFileSync(path, 'utf8');
}

/** What `cluster create --from-talos` prints in a table format. */
export function talosImportText(result: TalosImport): string {
  const from = result.source === 'secrets' ? 'a Talos secrets.yaml' : `a Talos ${result.source} machine config`;
  const url = result.cluster.discovery.mode === 'url' ? result.cluster.discovery.url : '';
  const s = result.settings;
  return [
    `created cluster ${result.cluster.name} from ${from} (id ${result.cluster.clusterId})`,
    `discovery: ${url} (the Talos cluster's own service)`,
    `kubespan settings: mtu ${s.mtu}, advertiseKubernetesNetworks ${s.advertiseKubernetesNetworks}, allowDownPeerBypass ${s.allowDownPeerBypass}, harvestExtraEndpoints ${s.harvestExtraEndpoints}, endpoint filters ${s.endpointFilters.join(' ') || 'none'}`,
    ...result.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

/** Writes the file with mode 0600 from the start: a new file beside it, renamed over the old one. */
function writePrivate(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`-o: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 'name a file in a folder you can write to');
  }
}

/** `spanwise cluster talos-patch`: the Talos machine config patch that joins Talos nodes to a cluster's mesh. */
export const talosPatchCommand: Command = {
  path: ['cluster', 'talos-patch'],
  summary: "print or write the Talos machine config patch that joins Talos nodes to a cluster's mesh",
  usage: '[NAME] [-o FILE] [--show-secrets]',
  options: { ...dataDirOption, output: { type: 'string', short: 'o' }, 'show-secrets': { type: 'boolean' } },
  optionHelp: {
    ...dataDirHelp,
    output: { description: 'write the patch, with the cluster secret, to FILE (mode 0600) instead of printing it', value: 'FILE' },
    'show-secrets': { description: 'print the cluster secret in the patch (otherwise a placeholder)' },
  },
  examples: [
    'spanwise cluster talos-patch prod -o spanwise-patch.yaml && talosctl patch mc --nodes 10.0.0.5 --patch @spanwise-patch.yaml',
    'spanwise cluster talos-patch --show-secrets > spanwise-patch.yaml',
  ],
  positionals: true,
  async run(values, positionals) {
    if (positionals.length > 1) throw new UsageError('give at most one cluster NAME');
    const [name] = positionals;
    const file = values.output === undefined ? undefined : String(values.output);
    if (file !== undefined && (OUTPUT_FORMATS as readonly string[]).includes(file))
      throw new UsageError(`-o takes a FILE here (the patch is YAML), got '${file}'`, `for a file named ${file}, write ./${file}`);
    const showSecrets = file !== undefined || values['show-secrets'] === true;
    const result = await withClient(values, (c) => c.invoke('cluster:talosPatch', { ...(name ? { name } : {}), showSecrets }, { name: 'NAME' }));
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (file === undefined) {
      process.stdout.write(result.patch);
      return;
    }
    writePrivate(file, result.patch);
    process.stdout.write(
      `wrote the Talos patch of cluster ${result.cluster} to ${file} (mode 0600: it holds the cluster secret)\n` +
        `apply it: talosctl patch mc --nodes NODE --patch @${file}\n`,
    );
  },
};
