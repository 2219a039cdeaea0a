import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirewallKind, HostFix } from '../../electron/contract/diagnosis.js';
import { runFix, type FixTarget } from '../../electron/services/diagnosis/fix/fix-runner.js';
import { HostKeyStore } from '../../electron/services/ssh/host-keys.js';
import { SshSession } from '../../electron/services/ssh/session.js';
import { shellQuote } from '../../electron/services/ssh/shell.js';
import { openDatabase, type Db } from '../../electron/services/store/database.js';
import { startLoopbackSshd, type LoopbackSshd } from '../support/loopback-sshd.js';

/** A fake firewall: "applying" writes a state file, "reverting" removes it. Nothing touches the real firewall. */
const FAKE_FIREWALL = 'fake-firewall' as FirewallKind;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('fix runner with an automatic revert, against a real sshd', () => {
  let sshd: LoopbackSshd;
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    db = openDatabase(mkdtempSync(join(tmpdir(), 'spanwise-fix-db-')));
    dir = mkdtempSync(join(tmpdir(), 'spanwise-fix-host-'));
  });
  afterAll(() => {
    sshd?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hostKeys = () => new HostKeyStore(db);
  const open = async () => {
    const session = await SshSession.open({
      target: { user: sshd.user, host: '127.0.0.1', port: sshd.port },
      jump: [],
      credentials: { identityFile: sshd.identityFile },
      hostKeys: hostKeys(),
      decision: { trustOnFirstUse: true },
      readyTimeoutMs: 5000,
    });
    return { exec: (script: string) => session.exec(`sh -c ${shellQuote(script)}`), close: () => session.close() };
  };
  const fakeFix = (state: string): HostFix => ({ node: 'fake-node', firewall: FAKE_FIREWALL, apply: [`echo open > ${state}`], revert: [`rm -f ${state}`] });
  const target = (over: Partial<FixTarget>, state: string): FixTarget => ({
    openShell: open,
    meshHealthy: async () => true,
    recheck: async () => existsSync(state),
    ...over,
  });

  it('keeps a confirmed change and re-checks it', async () => {
    const state = join(dir, 'kept.state');
    const stateDir = join(dir, 'guard-kept');
    const result = await runFix('UDP_51820_INBOUND_BLOCKED:fake-node', fakeFix(state), target({}, state), { confirmSeconds: 5, stateDir });
    expect(result).toMatchObject({ applied: true, reverted: false, cleared: true });
    expect(result.log.join('\n')).toContain(`+ echo open > ${state}`);
    // Past the window: the host-side guard, disarmed by the confirmation, must not have reverted.
    await new Promise((r) => setTimeout(r, 6000));
    expect(existsSync(join(stateDir, 'fix-UDP_51820_INBOUND_BLOCKED-fake-node-fake-node.confirmed'))).toBe(true);
    expect(existsSync(state)).toBe(true);
    expect(existsSync(join(stateDir, 'fix-UDP_51820_INBOUND_BLOCKED-fake-node-fake-node.reverted'))).toBe(false);
  });

  it("reverts on the host by itself when the node's mesh is lost", async () => {
    const state = join(dir, 'mesh-lost.state');
    const result = await runFix('PAIR_NO_INBOUND_END:a:b', fakeFix(state), target({ meshHealthy: async () => false }, state), {
      confirmSeconds: 1,
      stateDir: join(dir, 'guard-mesh'),
    });
    expect(result).toMatchObject({ applied: true, reverted: true, cleared: false });
    await until(() => !existsSync(state), 'the host reverts the fake firewall');
  });

  it('reverts on the host by itself when SSH is lost after applying', async () => {
    const state = join(dir, 'ssh-lost.state');
    let opened = 0;
    const result = await runFix(
      'TCP_50000_UNREACHABLE:x',
      fakeFix(state),
      target({ openShell: async () => (opened++ === 0 ? open() : Promise.reject(new Error('SSH_UNREACHABLE'))) }, state),
      { confirmSeconds: 1, stateDir: join(dir, 'guard-ssh') },
    );
    expect(result).toMatchObject({ applied: true, reverted: true });
    // No shell reaches the host after the first one, so only the host's own timer can remove it.
    await until(() => !existsSync(state), 'the host reverts the fake firewall');
  });

  it('reverts at once when an apply command fails', async () => {
    const state = join(dir, 'failed.state');
    const fix: HostFix = { ...fakeFix(state), apply: [`echo open > ${state}`, 'false'] };
    const result = await runFix('X:y', fix, target({}, state), { confirmSeconds: 30, stateDir: join(dir, 'guard-fail') });
    expect(result).toMatchObject({ applied: false, reverted: true });
    expect(existsSync(state)).toBe(false);
  });
});
