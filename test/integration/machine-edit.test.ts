import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { createServices, type Services } from '../../electron/services/index.js';
import { testConnection } from '../../electron/services/ssh/test-connection.js';
import { freePort, startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';
import { spanwise } from '../support/spanwise-cli.js';

describe('Edit and Test SSH against a real sshd', () => {
  let sshd: LoopbackSshd;
  let dataDir: string;
  let services: Services;
  let bad: number;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    bad = await freePort();
    dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-edit-')), 'data');
    services = createServices({ mode: 'web', dataDir });
    await services.clusters.create('lab', { mode: 'embedded', port: 3000 });
    services.machines.add({ name: 'box', ssh: { user: sshd.user, host: '127.0.0.1', port: bad }, auth: { identityFile: sshd.identityFile } });
  });
  afterAll(async () => {
    await services?.close();
    sshd?.stop();
  });

  it('a bad port is found by Test SSH, fixed with Edit, then every check passes without deleting the machine', async () => {
    const refused = await services.machines.test('box', {});
    expect(refused.checks).toEqual([{ check: 'reach', ok: false, detail: expect.stringContaining(`127.0.0.1:${bad}`) as unknown }]);
    expect(refused.error).toMatchObject({ code: 'SSH_UNREACHABLE', details: { field: 'ssh.port' } });

    const tried = await services.machines.test('box', { ssh: { port: sshd.port } });
    expect(tried.error).toMatchObject({ code: 'HOST_KEY_UNKNOWN', details: { field: 'ssh.host' } });
    expect(tried.checks.map((c) => [c.check, c.ok])).toEqual([
      ['reach', true],
      ['hostKey', false],
    ]);
    expect(services.machines.get('box').ssh.port).toBe(bad);

    const scanned = execFileSync('ssh-keygen', ['-l', '-f', '-'], {
      input: execFileSync('ssh-keyscan', ['-p', String(sshd.port), '-t', 'ed25519', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] }),
    }).toString();
    expect(scanned).toContain(tried.hostKey?.fingerprint);

    const edited = services.machines.update('box', { ssh: { port: sshd.port } });
    expect(edited).toMatchObject({ name: 'box', ssh: { port: sshd.port }, state: 'added', identityFile: sshd.identityFile });
    const passed = await services.machines.test('box', {}, tried.hostKey?.fingerprint);
    expect(passed.error).toBeNull();
    expect(passed.checks.map((c) => [c.check, c.ok])).toEqual([
      ['reach', true],
      ['hostKey', true],
      ['login', true],
      ['sudo', true],
    ]);
    expect(passed.hostKey).toMatchObject({ fingerprint: tried.hostKey?.fingerprint, trusted: true, address: `127.0.0.1:${sshd.port}` });
  });

  it('names the hop whose key is unknown, and the jump host credentials that fail', async () => {
    const jump = [{ user: sshd.user, host: '127.0.0.1', port: sshd.port }];
    const behind = await services.machines.test('box', { jump });
    expect(behind.error).toMatchObject({ code: 'HOST_KEY_UNKNOWN', details: { field: 'ssh.host', via: `127.0.0.1:${sshd.port}` } });
    expect(behind.hostKey).toMatchObject({ address: `127.0.0.1:${sshd.port}`, via: `127.0.0.1:${sshd.port}`, trusted: false });

    const strangerKey = join(mkdtempSync(join(tmpdir(), 'spanwise-stranger-')), 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', strangerKey]);
    const wrongJumpKey = await services.machines.test('box', { jump, jumpAuth: { identityFile: strangerKey } });
    expect(wrongJumpKey.error).toMatchObject({ code: 'SSH_AUTH_FAILED', details: { field: 'jumpAuth.identityFile' } });
    expect(wrongJumpKey.checks.at(-1)).toMatchObject({ check: 'login', ok: false, detail: expect.stringContaining(`127.0.0.1:${sshd.port}`) as unknown });

    const rightJumpKey = await services.machines.test('box', { jump, jumpAuth: { identityFile: sshd.identityFile } }, behind.hostKey?.fingerprint);
    expect(rightJumpKey.error).toBeNull();
  });

  it('a host that accepts TCP and never answers SSH fails the test within its limit, naming the host', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { credentials } = services.machines.preview('box', { ssh: { port } });
    const result = await testConnection({
      name: 'box',
      machine: { ssh: { user: sshd.user, host: '127.0.0.1', port }, jump: [] },
      credentials,
      hostKeys: services.hostKeys,
      limitMs: 1000,
    });
    silent.close();
    expect(result.error).toMatchObject({ code: 'SSH_UNREACHABLE', message: `no SSH answer from 127.0.0.1:${port} in 1 s`, details: { field: 'ssh.host' } });
  });

  it('an edit is checked like add and keeps the host key unless the address or route changes', async () => {
    expect(() => services.machines.update('box', { ssh: { port: 0 } })).toThrow(/ssh\.port: use a port from 1 to 65535/);
    expect(() => services.machines.update('box', { auth: { identityFile: '/nonexistent/key' } })).toThrow(
      /auth\.identityFile: \/nonexistent\/key does not exist/,
    );
    const direct = { via: '', host: '127.0.0.1', port: sshd.port };
    services.machines.update('box', { site: 'edge', role: 'controlplane', auth: { sudoPassword: 'sudo-only-9' } });
    expect(services.hostKeys.get(direct)).toBeDefined();
    expect(services.machines.list()[0]).toMatchObject({ site: 'edge', role: 'controlplane', hasSudoPassword: true });
    expect(services.machines.credentials(services.machines.get('box')).sudoPassword).toBe('sudo-only-9');
    services.machines.update('box', { auth: { sudoPassword: null } });
    expect(services.machines.list()[0]?.hasSudoPassword).toBe(false);

    services.machines.update('box', { ssh: { port: bad } });
    expect(services.hostKeys.get(direct)).toBeUndefined();
  });

  it('the CLI edits and tests through the contract, naming the flag to fix', async () => {
    await services.close();
    const edit = await spanwise(dataDir, ['node', 'edit', 'box', '--port', 'abc']);
    expect(edit.code).toBe(2);
    expect(edit.stderr).toContain('--port: use a port from 1 to 65535');

    const missing = await spanwise(dataDir, ['node', 'test', 'nobox']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("MACHINE_NOT_FOUND: no machine named 'nobox'");

    const failing = await spanwise(dataDir, ['node', 'test', 'box', '-o', 'json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({ machine: 'box', error: { code: 'SSH_UNREACHABLE', details: { field: 'ssh.port' } } });

    const fixed = await spanwise(dataDir, ['node', 'edit', 'box', '--port', String(sshd.port)]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`127.0.0.1:${sshd.port}`);
    const unknown = await spanwise(dataDir, ['node', 'test', 'box']);
    expect(unknown.stdout).toMatch(/trust it with --accept-host-key SHA256:/);
    const fingerprint = /--accept-host-key (SHA256:\S+)/.exec(unknown.stdout)?.[1] ?? '';
    const passed = await spanwise(dataDir, ['node', 'test', 'box', '--accept-host-key', fingerprint]);
    expect(passed.stdout).toContain('every check passed');
    expect(passed.code).toBe(0);

    const hop = `${sshd.user}@127.0.0.1:${sshd.port}`;
    const added = await spanwise(dataDir, [
      'node',
      'add',
      'behind',
      '--ssh',
      hop,
      '--identity',
      sshd.identityFile,
      '--jump',
      hop,
      '--jump-identity',
      sshd.identityFile,
    ]);
    expect(added.code).toBe(0);
    const throughJump = await spanwise(dataDir, ['node', 'test', 'behind', '-o', 'json']);
    expect(JSON.parse(throughJump.stdout)).toMatchObject({ error: null, checks: [{ check: 'reach', ok: true }, {}, {}, { check: 'sudo', ok: true }] });
    services = createServices({ mode: 'web', dataDir });
    expect(services.machines.list().find((m) => m.name === 'behind')?.jumpAuth).toEqual({
      identityFile: sshd.identityFile,
      hasPassword: false,
      useAgent: false,
    });
  }, 120_000);
});
