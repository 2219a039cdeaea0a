import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackSshd, type LoopbackSshd } from '../../../test/support/loopback-sshd.js';
import { HostKeyStore } from '../ssh/host-keys.js';
import { SshSession } from '../ssh/session.js';
import { openDatabase, type Db } from '../store/database.js';
import { describeLeftovers, leftoverCheckScript, parseLeftovers, verifyRemoved, type LeftoverTargets } from './leftovers.js';

describe('removal verification on a real host, reached through a jump host', () => {
  let sshd: LoopbackSshd;
  let db: Db;
  let session: SshSession;
  let agent: ChildProcess;
  const root = mkdtempSync(join(tmpdir(), 'spanwise-removal-'));
  const program = join(root, 'opt', 'spanwise-agent.mjs');
  const targets: LeftoverTargets = {
    programs: ['/opt/spanwise-agent.mjs'],
    paths: [join(root, 'opt'), join(root, 'etc'), join(root, 'unit.service')],
    link: 'swtest-none0',
  };

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    db = openDatabase(join(root, 'data'));
    const target = { user: sshd.user, host: '127.0.0.1', port: sshd.port };
    session = await SshSession.open({
      target,
      jump: [target],
      credentials: { identityFile: sshd.identityFile },
      hostKeys: new HostKeyStore(db),
      decision: { trustOnFirstUse: true },
      readyTimeoutMs: 5000,
    });
    mkdirSync(join(root, 'opt'));
    mkdirSync(join(root, 'etc'));
    // An agent that ignores SIGTERM, as one stuck in its shutdown would.
    writeFileSync(program, "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);\n");
    agent = spawn(process.execPath, [program, 'run'], { stdio: 'ignore' });
    await new Promise((resolve) => agent.once('spawn', resolve));
  });
  afterAll(() => {
    agent?.kill('SIGKILL');
    session?.close();
    sshd?.stop();
    db?.close();
  });

  it('lists the running agent and its files, and never the shell that looks for them', async () => {
    const result = await session.exec(`sh -c '${leftoverCheckScript(targets).replace(/'/g, `'\\''`)}'`);
    const left = parseLeftovers(result.stdout);
    expect(left).toEqual([
      { kind: 'process', what: `${agent.pid} ${process.execPath} ${program} run` },
      { kind: 'file', what: join(root, 'opt') },
      { kind: 'file', what: join(root, 'etc') },
    ]);
    expect(describeLeftovers(left)).toBe(`process ${agent.pid} ${process.execPath} ${program} run; file ${join(root, 'opt')}; file ${join(root, 'etc')}`);
  });

  it('kills an agent that ignores SIGTERM, then reports only the files still there', async () => {
    const exited = new Promise<NodeJS.Signals | null>((resolve) => agent.once('exit', (_code, signal) => resolve(signal)));
    const left = await verifyRemoved(session, null, 1, targets);
    expect(await exited).toBe('SIGKILL');
    expect(left.map((l) => `${l.kind} ${l.what}`)).toEqual([`file ${join(root, 'opt')}`, `file ${join(root, 'etc')}`]);
  });

  it('reports nothing once the files are gone too', async () => {
    await session.exec(`rm -rf ${join(root, 'opt')} ${join(root, 'etc')}`);
    expect(await verifyRemoved(session, null, 0, targets)).toEqual([]);
  });
});
