import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostPaths } from '../../../agent/shared/host-paths.js';
import { bootHook, bootHookRemoval, cronHook } from './supervisor.js';
import { AGENT_LAUNCH_ENV } from '../../../agent/shared/agent-launch.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-boot-hook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const subcommand = `run --config ${hostPaths.config}`;

/** A PATH holding only the tools the hook uses, plus a `cron` stand-in when `withCron`. */
function toolPath(withCron: boolean): string {
  const bin = mkdtempSync(join(dir, 'bin-'));
  for (const tool of ['awk', 'cat', 'chmod', 'grep', 'mv', 'rm'])
    symlinkSync(
      execFileSync('sh', ['-c', `command -v ${tool}`])
        .toString()
        .trim(),
      join(bin, tool),
    );
  if (withCron) {
    writeFileSync(join(bin, 'cron'), '#!/bin/sh\n');
    chmodSync(join(bin, 'cron'), 0o755);
  }
  return bin;
}

function run(script: string, path: string): string {
  return execFileSync('/bin/sh', ['-c', script], { env: { PATH: path } }).toString();
}

describe('boot hook of a supervised service', () => {
  it('without cron: one line in rc.local before its exit 0, rewritten in place on a re-run, removed again', () => {
    const etc = mkdtempSync(join(dir, 'etc-'));
    const original = '#!/bin/sh -e\necho hello\nexit 0\n';
    writeFileSync(join(etc, 'rc.local'), original);
    const path = toolPath(false);
    expect(run(`${bootHook('agent', subcommand, etc)}; echo "$boot"`, path)).toBe(`a line in ${etc}/rc.local\n`);
    run(bootHook('agent', subcommand, etc), path);
    const lines = readFileSync(join(etc, 'rc.local'), 'utf8').split('\n');
    expect(lines[0]).toBe('#!/bin/sh -e');
    expect(lines[1]).toBe('echo hello');
    expect(lines[2]).toContain(
      `setsid -f ${hostPaths.agent} supervise --pid-file ${hostPaths.runtimeDir}/agent.pid --log-file ${hostPaths.logDir}/agent.log -- ${subcommand}`,
    );
    expect(lines[2]?.endsWith(' # spanwise-agent')).toBe(true);
    expect(lines.slice(3)).toEqual(['exit 0', '']);
    execFileSync('sh', ['-n', join(etc, 'rc.local')]);
    run(bootHookRemoval('agent', etc), path);
    expect(readFileSync(join(etc, 'rc.local'), 'utf8')).toBe(original);
  });

  it('without cron or rc.local: makes an executable rc.local that starts the service', () => {
    const etc = mkdtempSync(join(dir, 'etc-'));
    run(bootHook('discovery', 'discovery serve --listen 0.0.0.0:3000', etc), toolPath(false));
    const text = readFileSync(join(etc, 'rc.local'), 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toMatch(/-- discovery serve --listen 0\.0\.0\.0:3000 .* # spanwise-discovery\nexit 0\n$/);
    expect(text, 'the discovery service keeps its JIT').not.toContain('NODE_OPTIONS');
    expect(statSync(join(etc, 'rc.local')).mode & 0o111).not.toBe(0);
  });

  it('with cron and /etc/cron.d: an @reboot line as root in its own cron file, removed again', () => {
    const etc = mkdtempSync(join(dir, 'etc-'));
    mkdirSync(join(etc, 'cron.d'));
    const path = toolPath(true);
    expect(run(`${bootHook('agent', subcommand, etc)}; echo "$boot"`, path)).toBe(`@reboot in ${cronHook('agent', etc)}\n`);
    const [pathLine, reboot] = readFileSync(cronHook('agent', etc), 'utf8').split('\n');
    expect(pathLine).toMatch(/^PATH=\//);
    expect(reboot).toMatch(
      new RegExp(
        `^@reboot root mkdir -p ${hostPaths.runtimeDir} ${hostPaths.logDir} && env NODE_OPTIONS="${AGENT_LAUNCH_ENV.NODE_OPTIONS}" GLIBC_TUNABLES="${AGENT_LAUNCH_ENV.GLIBC_TUNABLES}" setsid -f ${hostPaths.agent} supervise `,
      ),
    );
    expect(existsSync(join(etc, 'rc.local'))).toBe(false);
    run(bootHookRemoval('agent', etc), path);
    expect(existsSync(cronHook('agent', etc))).toBe(false);
  });
});
