import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageKind } from './install-choice.js';
import { AgentPackageSource, packageFileName, type PackageBuilder, type PackageRecord } from './package-files.js';
import type { RuntimeArch } from './runtime-manifest.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const bundle = { bytes: Buffer.from('bundle'), sha256: sha('bundle') };

/** Writes a package file and its record into `dir`, holding the agent `bundleSha256`. */
function writePackage(dir: string, kind: PackageKind, arch: RuntimeArch, bundleSha256: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, packageFileName(kind, arch, '0.1.0'));
  writeFileSync(path, `package of ${bundleSha256}`);
  const record: PackageRecord = { kind, arch, version: '0.1.0', sha256: sha(`package of ${bundleSha256}`), bytes: 75, bundleSha256 };
  writeFileSync(`${path}.json`, JSON.stringify(record));
  return path;
}

/** A builder that writes the package the way scripts/package-agent.ts does, counting its builds. */
function countingBuilder(missing: string | null = null): PackageBuilder & { builds: number } {
  return {
    builds: 0,
    missingTool: () => missing,
    async build(arch, kind, _bundle, out) {
      this.builds += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      writePackage(out, kind, arch, bundle.sha256);
    },
  };
}

const dirs = () => {
  const root = mkdtempSync(join(tmpdir(), 'spanwise-packages-'));
  return { shipped: join(root, 'shipped'), cache: join(root, 'cache') };
};

describe('the agent packages onboarding installs', () => {
  it('uses a shipped package only when its record holds the bundle onboarding uploads', async () => {
    const where = dirs();
    const path = writePackage(where.shipped, 'deb', 'x64', bundle.sha256);
    writePackage(where.shipped, 'rpm', 'x64', sha('an older bundle'));
    const source = new AgentPackageSource(where, '0.1.0', null);
    expect(await source.availability('x64', 'deb', bundle, false)).toEqual({ available: true });
    expect(await source.get('x64', 'deb', bundle)).toMatchObject({ path, name: 'spanwise-agent_0.1.0_amd64.deb', bundleSha256: bundle.sha256, bytes: 75 });
    expect(await source.availability('x64', 'rpm', bundle, true)).toEqual({
      available: false,
      why: 'this build of Spanwise ships no spanwise-agent-0.1.0-1.x86_64.rpm for its agent',
      fix: 'use --install files, or a build made with npm run dist',
    });
    await expect(source.get('arm64', 'deb', bundle)).rejects.toMatchObject({ code: 'PACKAGE_MISSING' });
  });

  it('in a checkout builds a missing one into the cache once, however many hosts ask at the same time', async () => {
    const where = dirs();
    const builder = countingBuilder();
    const source = new AgentPackageSource(where, '0.1.0', builder);
    expect(await source.availability('x64', 'deb', bundle, false)).toMatchObject({ available: false, fix: expect.stringMatching(/--install package/) });
    expect(await source.availability('x64', 'deb', bundle, true)).toEqual({ available: true });
    const got = await Promise.all([1, 2, 3].map(() => source.get('x64', 'deb', bundle)));
    expect(builder.builds).toBe(1);
    expect(got.map((p) => p.path)).toEqual(Array(3).fill(join(where.cache, 'spanwise-agent_0.1.0_amd64.deb')));
    expect(await source.availability('x64', 'deb', bundle, true)).toEqual({ available: true });
  });

  it('names the missing tool and the fix when it cannot build', async () => {
    const source = new AgentPackageSource(dirs(), '0.1.0', countingBuilder('rpmbuild'));
    expect(await source.availability('arm64', 'rpm', bundle, true)).toEqual({
      available: false,
      why: 'spanwise-agent-0.1.0-1.aarch64.rpm is not built, and this machine has no rpmbuild to build it',
      fix: 'install rpm here (it brings rpmbuild), or use --install files',
    });
    await expect(source.get('arm64', 'rpm', bundle)).rejects.toMatchObject({ code: 'PACKAGE_MISSING', hint: expect.stringMatching(/install rpm here/) });
  });
});
