import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../agent/shared/version.js';
import { buildAgentBundle } from '../../scripts/agent-bundle.js';

const root = new URL('../../', import.meta.url).pathname;
const run = (bin: string, args: string[]) => spawnSync(process.execPath, [join(root, 'bin', bin), ...args], { encoding: 'utf8', timeout: 30_000 });

describe.each(['spanwise.mjs', 'spanwise-agent.mjs'])('%s', (bin) => {
  it('prints help and version', () => {
    const help = run(bin, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: spanwise(-agent)? <command>/);
    const version = run(bin, ['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
  });

  it('fails with exit code 2 and a clear message on bad arguments', () => {
    const unknown = run(bin, ['no-such-command']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'no-such-command'");
  });
});

describe('spanwise web', () => {
  it('rejects a bad port with exit code 2 naming the flag', () => {
    const result = run('spanwise.mjs', ['web', '--port', '70000']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a port number');
  });

  it('refuses a non-loopback --host with exit code 2 and says why', () => {
    for (const host of ['0.0.0.0', '::']) {
      const result = run('spanwise.mjs', ['web', '--host', host]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`--host ${host} would serve the UI and its token over plain HTTP`);
    }
  });

  it('rejects unknown flags with exit code 2', () => {
    const result = run('spanwise.mjs', ['web', '--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--bogus');
  });
});

describe('agent bundle', () => {
  it('builds into one file that runs with plain node', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spanwise-bundle-'));
    const outfile = join(out, 'spanwise-agent.mjs');
    await buildAgentBundle(outfile);
    const result = spawnSync(process.execPath, [outfile, '--version'], { cwd: out, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(result.stdout.trim()).toBe(VERSION);
    expect(result.status).toBe(0);
  });
});
