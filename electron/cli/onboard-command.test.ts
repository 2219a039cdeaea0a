import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spanwise } from '../../test/support/spanwise-cli.js';
import { createHandlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';
import { createServices } from '../services/index.js';

describe('the install method of node onboard', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-cli-install-'));
    await spanwise(dir, ['cluster', 'create', 'lab', '--discovery-url', 'http://127.0.0.1:3000']);
    expect((await spanwise(dir, ['node', 'add', 'edge1', '--ssh', 'root@127.0.0.1:1', '--ssh-agent'])).code).toBe(0);
  });

  it('refuses a method it does not know, naming the flag, before or after the command', async () => {
    for (const args of [
      ['node', 'onboard', 'edge1', '--install', 'rpm'],
      ['--install', 'rpm', 'node', 'onboard', 'edge1'],
    ]) {
      const run = await spanwise(dir, args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--install: use auto, package or files, got 'rpm'");
    }
  });

  it('lists the flag in --help', async () => {
    const help = await spanwise(dir, ['node', 'onboard', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--install auto\|package\|files[^\n]*how to install the agent: package \(its \.deb or \.rpm\)/);
  });

  it('is a field of the onboarding request: a bad value is INVALID_REQUEST naming it', async () => {
    const handlers = createHandlers(createServices({ mode: 'web', dataDir: join(dir, 'contract') }));
    const result = await dispatch(handlers, 'node:onboard', { names: ['edge1'], install: 'tarball' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/install: use auto, package or files/) } });
  });
});
