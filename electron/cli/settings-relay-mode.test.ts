import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { spanwise } from '../../test/support/spanwise-cli.js';

describe('spanwise settings set --relay-mode', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanwise-relay-mode-'));
    expect((await spanwise(dir, ['cluster', 'create', 'lab', '--discovery-url', 'http://127.0.0.1:3000'])).code).toBe(0);
  });

  it('is manual by default, and takes auto or manual before or after the command', async () => {
    expect((await spanwise(dir, ['settings', 'show'])).stdout).toMatch(/relayMode +manual/);
    const auto = await spanwise(dir, ['settings', 'set', '--relay-mode', 'auto', '--no-apply']);
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stdout).toMatch(/relayMode +auto/);
    const json = JSON.parse((await spanwise(dir, ['settings', 'show', '-o', 'json'])).stdout) as { settings: { relayMode: string; mtu: number } };
    expect(json.settings).toMatchObject({ relayMode: 'auto', mtu: 1420 });
    expect((await spanwise(dir, ['--relay-mode', 'manual', 'settings', 'set', '--no-apply'])).code).toBe(0);
    expect((await spanwise(dir, ['settings', 'show'])).stdout).toMatch(/relayMode +manual/);
  });

  it('refuses another value naming the flag and the choices, and changes nothing', async () => {
    const refused = await spanwise(dir, ['settings', 'set', '--relay-mode', 'sometimes', '--no-apply']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--relay-mode: use 'manual' or 'auto'");
    expect((await spanwise(dir, ['settings', 'show'])).stdout).toMatch(/relayMode +manual/);
  });

  it('is in the help and the shell completion', async () => {
    expect((await spanwise(dir, ['help', 'settings', 'set'])).stdout).toMatch(/--relay-mode manual\|auto +auto: the agents relay/);
    const completion = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/spanwise.mjs', import.meta.url)), 'completion', 'bash'], {
      encoding: 'utf8',
    });
    expect(completion.stdout).toContain('--relay-mode) cands="manual auto"');
  });
});
