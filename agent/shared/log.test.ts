import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isoTime, parseLogFormat, sinkLogger, type LogSink } from './log.js';

const logModule = JSON.stringify(fileURLToPath(new URL('./log.ts', import.meta.url)));

const at = new Date('2026-01-02T03:04:05.678Z');

function recorded(sink: Omit<LogSink, 'write' | 'now'>, verbose = false) {
  const lines: string[] = [];
  const log = sinkLogger({ ...sink, now: () => at, write: (line) => lines.push(line) }, verbose);
  return { log, lines };
}

describe('log lines', () => {
  it('text: time, level, message and fields, one whole line each; debug only when verbose', () => {
    const { log, lines } = recorded({ format: 'text', journal: false });
    log.info('agent started', { backend: 'kernel', api: '0.0.0.0:50000' });
    log.warn('peer down', { peer: 'a b' });
    log.debug('hidden');
    expect(lines).toEqual([
      '2026-01-02T03:04:05.678Z info agent started backend=kernel api=0.0.0.0:50000\n',
      '2026-01-02T03:04:05.678Z warn peer down peer="a b"\n',
    ]);
    const verbose = recorded({ format: 'text', journal: false }, true);
    verbose.log.debug('shown');
    expect(verbose.lines).toEqual(['2026-01-02T03:04:05.678Z debug shown\n']);
  });

  it('json: one object per line with time, level, msg and the fields', () => {
    const { log, lines } = recorded({ format: 'json', journal: false });
    log.error('cannot listen', { address: '0.0.0.0:3000', code: 98 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ time: at.toISOString(), level: 'error', msg: 'cannot listen', address: '0.0.0.0:3000', code: 98 });
  });

  it('journal: each line starts with its syslog priority; text leaves the time to the journal', () => {
    const text = recorded({ format: 'text', journal: true }, true);
    text.log.error('e');
    text.log.warn('w');
    text.log.info('i');
    text.log.debug('d');
    expect(text.lines).toEqual(['<3>error e\n', '<4>warn w\n', '<6>info i\n', '<7>debug d\n']);
    const json = recorded({ format: 'json', journal: true });
    json.log.warn('w');
    expect(json.lines[0]?.startsWith('<4>{')).toBe(true);
    expect(JSON.parse(json.lines[0]?.slice(3) ?? '')).toMatchObject({ level: 'warn', msg: 'w', time: at.toISOString() });
  });

  it('--log-format takes text or json and names the flag and the choices otherwise', () => {
    expect(parseLogFormat(undefined)).toBe('text');
    expect(parseLogFormat('json')).toBe('json');
    expect(() => parseLogFormat('xml')).toThrow(/--log-format: 'xml' is not a log format/);
  });
});

describe('isoTime', () => {
  it('prints what toISOString prints, padded, and refuses an invalid date the same way', () => {
    for (const text of ['2026-01-02T03:04:05.678Z', '0999-12-31T23:59:59.000Z', '2024-02-29T00:00:00.007Z', '1970-01-01T00:00:00.000Z']) {
      const date = new Date(text);
      expect(isoTime(date)).toBe(date.toISOString());
    }
    expect(isoTime(new Date(1_780_000_000_123))).toBe(new Date(1_780_000_000_123).toISOString());
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('stderr logger', () => {
  const logFrom = (stderr: 'pipe' | number, env: NodeJS.ProcessEnv) => {
    const script = `const { stderrLogger } = await import(${logModule}); stderrLogger().warn('careful');`;
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', stderr],
    });
  };

  it('prefixes priorities only when JOURNAL_STREAM names the stream stderr really is', () => {
    const plain = logFrom('pipe', { JOURNAL_STREAM: '' });
    expect(plain.stderr.toString()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z warn careful\n$/);
    // A JOURNAL_STREAM inherited from a parent whose stderr went elsewhere is not this stream.
    const stale = logFrom('pipe', { JOURNAL_STREAM: '8:12345' });
    expect(stale.stderr.toString()).toMatch(/Z warn careful\n$/);
  });

  it('with stderr on the stream JOURNAL_STREAM names, writes <4> for a warning', () => {
    // A file stands in for the journal's socket: what matters is the device and inode match.
    const dir = mkdtempSync(join(tmpdir(), 'spanwise-log-'));
    const path = join(dir, 'journal');
    const fd = openSync(path, 'w');
    const stat = statSync(path, { bigint: true });
    logFrom(fd, { JOURNAL_STREAM: `${stat.dev}:${stat.ino}` });
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe('<4>warn careful\n');
    rmSync(dir, { recursive: true, force: true });
  });
});

it("Node's own warnings go through the logger, with time and level", () => {
  const script = `const { logProcessWarnings, stderrLogger } = await import(${logModule}); logProcessWarnings(stderrLogger()); process.emitWarning('old API', { type: 'DeprecationWarning', code: 'DEP0000' });`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, JOURNAL_STREAM: '' } });
  expect(run.stderr.toString()).toMatch(/^\d{4}-[\dT:.-]+Z warn "?old API"? warning=DeprecationWarning code=DEP0000\n$/);
});
