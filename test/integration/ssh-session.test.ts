import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyStore } from '../../electron/services/ssh/host-keys.js';
import { SshSession, type SshRoute } from '../../electron/services/ssh/session.js';
import { openDatabase, type Db } from '../../electron/services/store/database.js';
import { startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';

describe('SSH sessions against a real sshd', () => {
  let sshd: LoopbackSshd;
  let db: Db;
  let hostKeys: HostKeyStore;
  const route = (over: Partial<SshRoute> = {}): SshRoute => ({
    target: { user: sshd.user, host: '127.0.0.1', port: sshd.port },
    jump: [],
    credentials: { identityFile: sshd.identityFile },
    hostKeys,
    decision: {},
    readyTimeoutMs: 5000,
    ...over,
  });

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    db = openDatabase(mkdtempSync(join(tmpdir(), 'spanwise-ssh-db-')));
    hostKeys = new HostKeyStore(db);
  });
  afterAll(() => {
    sshd?.stop();
    db?.close();
  });

  it('refuses an unknown host key until its fingerprint is accepted, then remembers it', async () => {
    const error = await SshSession.open(route()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec((error as Error).message)?.[0] ?? '';
    const expected = execFileSync('ssh-keyscan', ['-p', String(sshd.port), '-t', 'ed25519', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const scanned = execFileSync('ssh-keygen', ['-l', '-f', '-'], { input: expected }).toString();
    expect(scanned).toContain(fingerprint);
    const session = await SshSession.open(route({ decision: { acceptFingerprint: fingerprint } }));
    session.close();
    const again = await SshSession.open(route());
    expect((await again.exec('echo hello')).stdout).toBe('hello\n');
    again.close();
  });

  it('runs commands with stdin and exit codes, and writes files over SFTP', async () => {
    const session = await SshSession.open(route({ decision: { trustOnFirstUse: true } }));
    expect(await session.exec('cat; exit 3', 'piped')).toEqual({ code: 3, stdout: 'piped', stderr: '' });
    const path = join(mkdtempSync(join(tmpdir(), 'spanwise-sftp-')), 'file.bin');
    await session.writeFile(path, Buffer.from('payload'), 0o640);
    expect((await session.exec(`stat -c %a ${path}; cat ${path}`)).stdout).toBe('640\npayload');
    session.close();
  });

  it('gives a stderr listener what arrived before it was added (a sudo prompt sent with the channel)', async () => {
    const session = await SshSession.open(route({ decision: { trustOnFirstUse: true } }));
    const remote = await session.start('echo early >&2; read line; echo "late $line" >&2');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen: string[] = [];
    remote.onStderr((chunk) => {
      seen.push(chunk);
      if (chunk.includes('early')) remote.end('answer\n');
    });
    const result = await remote.result;
    expect(seen.join('')).toBe('early\nlate answer\n');
    expect(result).toMatchObject({ code: 0, stderr: 'early\nlate answer\n' });
    session.close();
  });

  it('ends a command whose host floods its output, with an error naming the host, and stays usable', async () => {
    const session = await SshSession.open(route({ decision: { trustOnFirstUse: true } }));
    const before = process.memoryUsage().rss;
    const error = await session.exec('head -c 1073741824 /dev/zero').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SSH_OUTPUT_TOO_LARGE', message: expect.stringContaining(`127.0.0.1:${sshd.port}`) as unknown });
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 2 ** 20);
    expect((await session.exec('echo still-here')).stdout).toBe('still-here\n');
    session.close();
  });

  it('does not let a key trusted at an address vouch for the same address behind a jump host', async () => {
    const direct = await SshSession.open(route({ decision: { trustOnFirstUse: true } }));
    direct.close();
    const jump = { user: sshd.user, host: '127.0.0.1', port: sshd.port };
    const error = await SshSession.open(route({ jump: [jump] })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      message: expect.stringContaining(`127.0.0.1:${sshd.port} (via 127.0.0.1:${sshd.port})`) as unknown,
    });
    expect(hostKeys.get({ via: `127.0.0.1:${sshd.port}`, host: '127.0.0.1', port: sshd.port })).toBeUndefined();
  });

  it('goes through a jump host', async () => {
    const session = await SshSession.open(route({ jump: [{ user: sshd.user, host: '127.0.0.1', port: sshd.port }], decision: { trustOnFirstUse: true } }));
    expect((await session.exec('echo via-jump')).stdout).toBe('via-jump\n');
    session.close();
  });

  it('says when the login is refused or the host is unreachable', async () => {
    const otherKey = join(mkdtempSync(join(tmpdir(), 'spanwise-key-')), 'k');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    await expect(SshSession.open(route({ credentials: { identityFile: otherKey } }))).rejects.toMatchObject({ code: 'SSH_AUTH_FAILED' });
    await expect(SshSession.open(route({ target: { user: 'root', host: '127.0.0.1', port: 1 } }))).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
    const missing = join(tmpdir(), 'no-such-key-file');
    await expect(SshSession.open(route({ credentials: { identityFile: missing } }))).rejects.toMatchObject({ code: 'SSH_KEY_UNREADABLE' });
    writeFileSync(otherKey, 'garbage');
    await expect(SshSession.open(route({ credentials: { identityFile: otherKey } }))).rejects.toMatchObject({ code: 'SSH_KEY_UNREADABLE' });
  });

  it('refuses a changed host key, showing both fingerprints', async () => {
    const before = hostKeys.get({ via: '', host: '127.0.0.1', port: sshd.port })?.fingerprint;
    expect(before).toBeTruthy();
    await sshd.rekey();
    const error = await SshSession.open(route({ decision: { trustOnFirstUse: true } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOST_KEY_CHANGED' });
    expect((error as Error).message).toContain(before);
    expect((error as Error).message).toMatch(/presented SHA256:/);
    expect(hostKeys.get({ via: '', host: '127.0.0.1', port: sshd.port })?.fingerprint).toBe(before);
  });
});
