import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { AgentBundle, AgentFiles } from '../agent-bundle.js';
import type { PackageAvailability, PackageKind } from './install-choice.js';
import { packageArch, runtimeArches, type RuntimeArch } from './runtime-manifest.js';

/** The `<package>.json` written beside each built package: what it is and which agent bundle it holds. */
export const packageRecordSchema = z
  .object({
    kind: z.enum(['deb', 'rpm']),
    arch: z.enum(runtimeArches),
    version: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().positive(),
    /** sha256 of /opt/spanwise/spanwise-agent.mjs inside the package (the bundle as hosts run it). */
    bundleSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type PackageRecord = z.infer<typeof packageRecordSchema>;

/** One built package of the agent, ready to upload. */
export interface AgentPackageFile extends PackageRecord {
  path: string;
  name: string;
}

/** The folder of built packages: beside the agent bundle, so the app ships them with it (npm run agent:packages). */
export const packagesDir = (files: Pick<AgentFiles, 'agentBundle'>) => join(dirname(files.agentBundle), 'packages');

/** The file name of a package, as dpkg-deb and rpmbuild name them. */
export const packageFileName = (kind: PackageKind, arch: RuntimeArch, version: string) =>
  kind === 'deb' ? `spanwise-agent_${version}_${packageArch[arch].deb}.deb` : `spanwise-agent-${version}-1.${packageArch[arch].rpm}.rpm`;

/** Builds one package of a bundle into a folder (in a checkout: scripts/package-agent.ts). */
export interface PackageBuilder {
  /** Null when it can build `kind` here, else what is missing. */
  missingTool(kind: PackageKind): string | null;
  /** Builds the package of `bundle` (the agent as onboarding uploads it) into `out`. */
  build(arch: RuntimeArch, kind: PackageKind, bundle: Buffer, out: string): Promise<void>;
}

const tools: Record<PackageKind, { command: string; install: string }> = {
  deb: { command: 'dpkg-deb', install: 'dpkg' },
  rpm: { command: 'rpmbuild', install: 'rpm' },
};
const onPath = (command: string) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

/**
 * The checkout's builder: `tsx scripts/package-agent.ts` with the bundle onboarding uploads (its bytes, as read for this run),
 * gzip-compressed (fast). Null where the script is not there (the packaged app ships its packages).
 */
export function checkoutPackageBuilder(root: string): PackageBuilder | null {
  const script = join(root, 'scripts/package-agent.ts');
  if (!existsSync(script)) return null;
  return {
    missingTool: (kind) => (onPath(tools[kind].command) ? null : tools[kind].command),
    async build(arch, kind, bundle, out) {
      const work = await mkdtemp(join(tmpdir(), 'spanwise-bundle-'));
      try {
        await writeFile(join(work, 'spanwise-agent.mjs'), bundle);
        const args = ['--import', 'tsx', script, '--bundle', join(work, 'spanwise-agent.mjs'), '--out', out, '--kind', kind, '--fast', arch];
        await promisify(execFile)(process.execPath, args, { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 2 ** 20 });
      } catch (error) {
        const { stderr, message } = error as Error & { stderr?: string };
        throw new SpanwiseError(
          'PACKAGE_BUILD_FAILED',
          `building the agent .${kind} for ${arch} failed: ${(stderr || message).trim().split('\n').pop()}`,
          'run npm run agent:packages to see the whole error, or use --install files',
        );
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}

/** Where a checkout builds packages on demand: the user's cache, so an `auto` onboarding never picks them up unasked. */
export const packageBuildCache = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'spanwise', 'packages');

/**
 * The agent's packages: the ones shipped beside the bundle (the packaged app, or `npm run
 * agent:packages` in a checkout); where building is allowed, also those built on demand into the
 * cache. A package counts only when its record says it holds the bundle onboarding uploads.
 */
export class AgentPackageSource {
  private readonly building = new Map<string, Promise<AgentPackageFile>>();

  constructor(
    private readonly dirs: { shipped: string; cache: string },
    private readonly version: string,
    private readonly builder: PackageBuilder | null,
  ) {}

  /** Whether `get` can give the package for the bundle; `mayBuild`: counting the cache and an on-demand build. */
  async availability(arch: RuntimeArch, kind: PackageKind, bundle: Pick<AgentBundle, 'sha256'>, mayBuild: boolean): Promise<PackageAvailability> {
    if (await this.built(this.dirs.shipped, arch, kind, bundle)) return { available: true };
    const name = packageFileName(kind, arch, this.version);
    if (!this.builder)
      return { available: false, why: `this build of Spanwise ships no ${name} for its agent`, fix: 'use --install files, or a build made with npm run dist' };
    if (!mayBuild) return { available: false, why: `no ${name} is built for this agent`, fix: 'build it with --install package, or npm run agent:packages' };
    if (await this.built(this.dirs.cache, arch, kind, bundle)) return { available: true };
    const tool = this.builder.missingTool(kind);
    if (tool)
      return {
        available: false,
        why: `${name} is not built, and this machine has no ${tool} to build it`,
        fix: `install ${tools[kind].install} here (it brings ${tool}), or use --install files`,
      };
    return { available: true };
  }

  /** The package for the bundle: shipped, cached, or built now into the cache. */
  async get(arch: RuntimeArch, kind: PackageKind, bundle: Pick<AgentBundle, 'sha256' | 'bytes'>): Promise<AgentPackageFile> {
    const ready = (await this.built(this.dirs.shipped, arch, kind, bundle)) ?? (await this.built(this.dirs.cache, arch, kind, bundle));
    if (ready) return ready;
    const found = await this.availability(arch, kind, bundle, true);
    if (!found.available || !this.builder)
      throw new SpanwiseError('PACKAGE_MISSING', found.available ? 'no package builder' : found.why, found.available ? undefined : found.fix);
    const builder = this.builder;
    const key = `${arch}/${kind}/${bundle.sha256}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = builder.build(arch, kind, bundle.bytes, this.dirs.cache).then(async () => {
        const made = await this.built(this.dirs.cache, arch, kind, bundle);
        if (!made) throw new SpanwiseError('PACKAGE_BUILD_FAILED', `the build left no ${packageFileName(kind, arch, this.version)} for this agent bundle`);
        return made;
      });
      this.building.set(key, pending);
      pending.catch(() => this.building.delete(key));
    }
    return pending;
  }

  /** The package in `dir` with its record, when it is there and holds this bundle. */
  private async built(dir: string, arch: RuntimeArch, kind: PackageKind, bundle: Pick<AgentBundle, 'sha256'>): Promise<AgentPackageFile | null> {
    const name = packageFileName(kind, arch, this.version);
    const path = join(dir, name);
    try {
      const record = packageRecordSchema.parse(JSON.parse(await readFile(`${path}.json`, 'utf8')));
      if (record.kind !== kind || record.arch !== arch || record.bundleSha256 !== bundle.sha256 || !existsSync(path)) return null;
      return { ...record, path, name };
    } catch {
      return null;
    }
  }
}
