import { describe, expect, it } from 'vitest';
import { chooseInstall, type PackageAvailability, type PackageKind } from './install-choice.js';
import type { RuntimeArch } from './runtime-manifest.js';

const host = { arch: 'x86_64', packageFormat: 'deb' as PackageKind | null, agentPackage: null as PackageKind | null };
const built = async (): Promise<PackageAvailability> => ({ available: true });
/** A desktop with no package built: one can be built on demand only where that is allowed. */
const buildable = async (_arch: RuntimeArch, _kind: PackageKind, mayBuild: boolean): Promise<PackageAvailability> =>
  mayBuild ? { available: true } : { available: false, why: 'no spanwise-agent_0.1.0_amd64.deb is built', fix: 'build it' };
const none = async (): Promise<PackageAvailability> => ({ available: false, why: 'this machine has no dpkg-deb', fix: 'install dpkg here' });

describe('the install method', () => {
  it('auto takes the package where the host has dpkg or rpm and one is built for its arch, else files', async () => {
    expect(await chooseInstall('auto', host, built)).toEqual({ method: 'package', kind: 'deb', arch: 'x64' });
    expect(await chooseInstall('auto', { ...host, arch: 'aarch64', packageFormat: 'rpm' }, built)).toEqual({ method: 'package', kind: 'rpm', arch: 'arm64' });
    expect(await chooseInstall('auto', { ...host, packageFormat: null }, built)).toEqual({ method: 'files', why: 'the host has neither dpkg nor rpm' });
    expect(await chooseInstall('auto', { ...host, arch: 'riscv64' }, built)).toMatchObject({
      method: 'files',
      why: expect.stringMatching(/no agent package for riscv64/),
    });
    expect(await chooseInstall('auto', host, buildable)).toEqual({ method: 'files', why: 'no spanwise-agent_0.1.0_amd64.deb is built' });
  });

  it('package builds one on demand, and blocks with the fix where there is none', async () => {
    expect(await chooseInstall('package', host, buildable)).toEqual({ method: 'package', kind: 'deb', arch: 'x64' });
    expect(await chooseInstall('package', host, none)).toEqual({
      method: 'blocked',
      code: 'PACKAGE_MISSING',
      message: 'this machine has no dpkg-deb',
      fix: 'install dpkg here',
    });
    expect(await chooseInstall('package', { ...host, packageFormat: null }, built)).toMatchObject({
      method: 'blocked',
      code: 'PACKAGE_TOOL_MISSING',
      fix: expect.stringMatching(/--install files/),
    });
    expect(await chooseInstall('package', { ...host, arch: 's390x' }, built)).toMatchObject({ method: 'blocked', code: 'PACKAGE_ARCH_UNSUPPORTED' });
  });

  it('files uploads files, except where the agent came as a package, which a re-run keeps', async () => {
    expect(await chooseInstall('files', host, built)).toEqual({ method: 'files', why: 'asked for' });
    expect(await chooseInstall('files', { ...host, agentPackage: 'deb' }, built)).toMatchObject({
      method: 'blocked',
      code: 'INSTALL_METHOD_CONFLICT',
      fix: expect.stringMatching(/--install package or auto, or remove it first/),
    });
    expect(await chooseInstall('auto', { ...host, agentPackage: 'deb' }, buildable)).toEqual({ method: 'package', kind: 'deb', arch: 'x64' });
    expect(await chooseInstall('auto', { ...host, agentPackage: 'deb' }, none)).toMatchObject({ method: 'blocked', code: 'PACKAGE_MISSING' });
  });
});
