import { open } from 'node:fs/promises';
import { clusterKey } from '../shared/affiliate-crypto.js';
import type { OptionHelp } from '../shared/cli.js';
import { SpanwiseError, UsageError } from '../shared/errors.js';

/** The environment variable that carries the cluster secret (base64 of 32 bytes) unless a file is named. */
export const CLUSTER_SECRET_ENV = 'SPANWISE_CLUSTER_SECRET';

/** A secret file holds one base64 line; anything larger is not one. */
const MAX_SECRET_FILE_BYTES = 4096;

/** The options of a command that takes the cluster secret. `--cluster-secret` is declared only to refuse it by name. */
export const clusterSecretOptions = {
  'cluster-secret-file': { type: 'string' },
  'cluster-secret-env': { type: 'string' },
  'cluster-secret': { type: 'string' },
} as const;

/** Help of those options. */
export const clusterSecretHelp: Record<keyof typeof clusterSecretOptions, OptionHelp> = {
  'cluster-secret-file': { description: 'read the cluster secret (base64, 32 bytes) from this file: mode 0600, or a pipe', value: 'FILE' },
  'cluster-secret-env': { description: 'read the cluster secret from this environment variable', default: 'SPANWISE_CLUSTER_SECRET', value: 'VAR' },
  'cluster-secret': { description: 'refused: a secret on the command line shows in ps and shell history', value: 'SECRET' },
};

const HINT = `export ${CLUSTER_SECRET_ENV}, or write it to a file only you can read (chmod 600) and give --cluster-secret-file FILE`;

/** Reads a secret file: a regular file no one else can read or write, or a pipe (`<(...)`), at most 4 KiB. */
async function readSecretFile(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SpanwiseError('CLUSTER_SECRET_UNREADABLE', `--cluster-secret-file ${path}: cannot open it (${code})`, 'check the path and that you may read it');
  }
  try {
    const stat = await handle.stat();
    if (stat.isFile() && (stat.mode & 0o077) !== 0) {
      throw new SpanwiseError(
        'CLUSTER_SECRET_FILE_MODE',
        `--cluster-secret-file ${path}: others can read or change it (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')})`,
        `chmod 600 ${path}`,
      );
    }
    if (!stat.isFile() && !stat.isFIFO())
      throw new SpanwiseError('CLUSTER_SECRET_UNREADABLE', `--cluster-secret-file ${path}: not a file`, 'give a regular file or a pipe');
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_SECRET_FILE_BYTES)
      throw new SpanwiseError(
        'CLUSTER_SECRET_TOO_LARGE',
        `--cluster-secret-file ${path}: larger than ${MAX_SECRET_FILE_BYTES} bytes, so not a cluster secret`,
        'the file holds only the base64 secret',
      );
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Checks the secret's form, naming where it came from and never echoing it. */
function parse(text: string, source: string): Buffer {
  try {
    return clusterKey(text);
  } catch (error) {
    throw new SpanwiseError(
      'BAD_CLUSTER_SECRET',
      `${source}: ${(error as Error).message}`,
      'use the cluster secret exactly as the desktop stores it (base64 of 32 bytes, one line)',
    );
  }
}

/**
 * The cluster secret from --cluster-secret-file FILE, else from the environment variable
 * --cluster-secret-env names (SPANWISE_CLUSTER_SECRET by default). A secret on argv is refused.
 */
export async function readClusterSecret(values: Record<string, unknown>): Promise<Buffer> {
  if (values['cluster-secret'] !== undefined)
    throw new UsageError('--cluster-secret is not accepted: a secret on the command line shows in ps and in shell history', HINT);
  const file = values['cluster-secret-file'];
  const envFlag = values['cluster-secret-env'];
  if (typeof file === 'string' && typeof envFlag === 'string') throw new UsageError('give --cluster-secret-file or --cluster-secret-env, not both');
  if (typeof file === 'string') return parse(await readSecretFile(file), `--cluster-secret-file ${file}`);
  const name = typeof envFlag === 'string' ? envFlag : CLUSTER_SECRET_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--cluster-secret-env: '${name}' is not an environment variable name`);
  const value = process.env[name];
  if (!value) throw new UsageError(`no cluster secret: environment variable ${name} is not set`, HINT);
  return parse(value, `environment variable ${name}`);
}
