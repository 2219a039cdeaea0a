import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labExec } from './exec.js';
import { sshRun } from './ssh-client.js';
import { useLab } from './use-lab.js';

// Real OpenSSH servers: root by key (through jump hosts behind gateways), a
// user by password whose sudo asks for that password.
describe('SSH into hybrid', () => {
  const lab = useLab('hybrid');

  it.each(['cloud1', 'dc-gw', 'dc1', 'edge1'])('root logs in to %s by key with a pinned host key', async (host) => {
    const r = await sshRun(lab.status, host, 'hostname; id -u');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([host, '0']);
  });

  it('every host has its own host key', () => {
    const keys = lab.status.hosts.map((h) => h.ssh.hostKey.split(' ')[1]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(lab.host('dc1').ssh.jump).toBe(`root@${lab.host('dc-gw').publicAddress}:22`);
  });

  it('root cannot log in by password', async () => {
    const r = await sshRun(lab.status, 'cloud1', 'true', { user: 'root', password: lab.host('cloud1').sudoUser.password });
    expect(r.code).not.toBe(0);
  });

  it.each(['cloud2', 'dc1'])('the sudo user logs in to %s by password, and a wrong password is refused', async (host) => {
    const { user, password } = lab.host(host).sudoUser;
    const ok = await sshRun(lab.status, host, 'id -un; hostname', { user, password });
    expect(ok.stdout.split('\n').slice(0, 2)).toEqual([user, host]);
    const bad = await sshRun(lab.status, host, 'true', { user, password: `${password}x` });
    expect(bad.code).not.toBe(0);
  });

  it('sudo asks for the password: refused without it, root with it', async () => {
    const { user, password } = lab.host('edge1').sudoUser;
    const noPassword = await sshRun(lab.status, 'edge1', 'sudo -n true', { user, password });
    expect(noPassword.code).not.toBe(0);
    expect(noPassword.stderr).toMatch(/password is required/);
    const wrong = await sshRun(lab.status, 'edge1', 'sudo -S -k -p "" true', { user, password, input: 'wrong\n' });
    expect(wrong.code).not.toBe(0);
    const right = await sshRun(lab.status, 'edge1', 'sudo -S -k -p "" sh -c "id -u; hostname"', { user, password, input: `${password}\n` });
    expect(right.stdout.split('\n').slice(0, 2)).toEqual(['0', 'edge1']);
  });

  it("sudo is by password, not NOPASSWD, in the host's own sudoers", async () => {
    const r = await labExec('cloud1', ['sudo', '-l', '-U', 'labuser']);
    expect(r.stdout).toContain('(ALL : ALL) ALL');
    expect(r.stdout).not.toContain('NOPASSWD');
  });

  it('secrets are private files of the lab state dir', () => {
    const h = lab.host('cloud1');
    expect(statSync(h.ssh.identityFile).mode & 0o777).toBe(0o600);
    expect(statSync(`${lab.status.stateDir}/secrets/sudo-password`).mode & 0o777).toBe(0o600);
  });
});
