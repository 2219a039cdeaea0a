import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { AgentFiles } from '../agent-bundle.js';
import type { RuntimeArch, RuntimeEntry } from './runtime-manifest.js';

/** Where the host keeps runtimes (one dir per version) and the `node` the agent's shebang names. */
export const hostRuntime = {
  dir: '/opt/spanwise/runtime',
  binary: (version: string) => `/opt/spanwise/runtime/${version}/node`,
  /** A link to the uploaded runtime, or to the host's own Node when that is suitable. */
  link: '/opt/spanwise/bin/node',
} as const;

/** One compressed copy of a runtime's `node`, as uploaded. */
export interface RuntimeArchive {
  path: string;
  sha256: string;
  bytes: number;
}

/** A runtime prepared on the desktop (`tsx scripts/agent-runtime.ts fetch`): the binary and its compressed copies. */
export interface PreparedRuntime {
  arch: RuntimeArch;
  version: string;
  /** The uncompressed `node`. */
  node: string;
  nodeSha256: string;
  gz: RuntimeArchive;
  /** Absent where the desktop had no `xz` when the runtime was prepared. */
  xz?: RuntimeArchive;
}

const archive = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().positive() }).strict();
/** The `runtime.json` written beside a prepared runtime. */
export const preparedSchema = z
  .object({ arch: z.enum(['x64', 'arm64', 'armv7l']), version: z.string(), nodeSha256: z.string(), gz: archive, xz: archive.optional() })
  .strict();
export type PreparedRecord = z.infer<typeof preparedSchema>;

/** The folder of prepared runtimes: beside the agent bundle, so the app ships them with it. */
export const runtimesDir = (files: Pick<AgentFiles, 'agentBundle'>) => join(dirname(files.agentBundle), 'runtimes');
/** The folder of one prepared runtime. */
export const runtimeFolder = (root: string, arch: RuntimeArch, version: string) => join(root, `linux-${arch}-${version}`);
/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const missing = (arch: RuntimeArch, entry: RuntimeEntry, why: string) =>
  new SpanwiseError(
    'RUNTIME_MISSING',
    `the Node ${entry.version} runtime for ${arch} is not prepared: ${why}`,
    `run npm run agent:runtimes (it fetches ${entry.package}@${entry.version} and checks it), then re-run`,
  );

/** Loads a prepared runtime and checks it is the one the manifest pins (hashes of the archives are checked as they are read). */
export async function loadPreparedRuntime(root: string, arch: RuntimeArch, entry: RuntimeEntry): Promise<PreparedRuntime> {
  const folder = runtimeFolder(root, arch, entry.version);
  let record: PreparedRecord;
  try {
    record = preparedSchema.parse(JSON.parse(await readFile(join(folder, 'runtime.json'), 'utf8')));
  } catch (error) {
    throw missing(arch, entry, `${join(folder, 'runtime.json')}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (record.arch !== arch || record.version !== entry.version || record.nodeSha256 !== entry.nodeSha256)
    throw missing(arch, entry, `${folder} holds another build (sha256 ${record.nodeSha256.slice(0, 12)}, manifest ${entry.nodeSha256.slice(0, 12)})`);
  return {
    arch,
    version: record.version,
    node: join(folder, 'node'),
    nodeSha256: record.nodeSha256,
    gz: { path: join(folder, 'node.gz'), ...record.gz },
    ...(record.xz ? { xz: { path: join(folder, 'node.xz'), ...record.xz } } : {}),
  };
}
