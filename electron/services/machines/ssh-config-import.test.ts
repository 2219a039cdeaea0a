import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSshConfig } from './ssh-config-import.js';

it('imports concrete hosts with their user, port, key and jump chain', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'spanwise-sshcfg-')), 'config');
  writeFileSync(
    path,
    `Host bastion
  HostName 198.18.0.1
  User ops
Host edge_1
  HostName 10.20.0.5
  Port 2222
  User root
  IdentityFile ~/.ssh/edge
  ProxyJump bastion
Host *
  User fallback
`,
  );
  const hosts = importSshConfig(path);
  expect(hosts).toEqual([
    { name: 'bastion', ssh: { user: 'ops', host: '198.18.0.1', port: 22 }, identityFile: null, jump: [] },
    {
      name: 'edge-1',
      ssh: { user: 'root', host: '10.20.0.5', port: 2222 },
      identityFile: join(homedir(), '.ssh/edge'),
      jump: [{ user: 'ops', host: '198.18.0.1', port: 22 }],
    },
  ]);
  expect(() => importSshConfig(join(path, 'missing'))).toThrow(/cannot read/);
});

describe('Include', () => {
  const sshDir = () => mkdtempSync(join(tmpdir(), 'spanwise-sshdir-'));

  it('reads included files (globs from the ssh dir, in order) and keeps the blocks of split configs', () => {
    const dir = sshDir();
    mkdirSync(join(dir, 'config.d'));
    writeFileSync(join(dir, 'config'), 'Include config.d/*.conf\nHost edge1\n  Include edge-defaults\n  HostName 10.0.3.10\nHost *\n  User fallback\n');
    writeFileSync(join(dir, 'config.d', '10-bastion.conf'), 'Host bastion\n  HostName 198.18.0.1\n  User ops\n');
    writeFileSync(join(dir, 'config.d', '20-dc.conf'), 'Host dc1 dc2\n  User admin\n  ProxyJump bastion\n');
    writeFileSync(join(dir, 'config.d', 'notes.txt'), 'Host ignored\n');
    writeFileSync(join(dir, 'edge-defaults'), 'Port 2222\nUser root\nHost from-edge-file\n  HostName 10.9.9.9\n');
    const hosts = importSshConfig(undefined, { sshDir: dir });
    expect(hosts.map((h) => h.name)).toEqual(['bastion', 'dc1', 'dc2', 'edge1', 'from-edge-file']);
    const byName = Object.fromEntries(hosts.map((h) => [h.name, h]));
    expect(byName.dc2).toMatchObject({ ssh: { user: 'admin', host: 'dc2', port: 22 }, jump: [{ user: 'ops', host: '198.18.0.1', port: 22 }] });
    expect(byName.edge1).toMatchObject({ ssh: { user: 'root', host: '10.0.3.10', port: 2222 } });
    expect(byName['from-edge-file']).toMatchObject({ ssh: { user: 'fallback', host: '10.9.9.9', port: 22 } });
  });

  it('takes absolute paths, skips missing files, and refuses a loop naming the files', () => {
    const dir = sshDir();
    const other = join(sshDir(), 'extra');
    writeFileSync(other, 'Host abs\n  HostName 192.0.2.7\n');
    writeFileSync(join(dir, 'config'), `Include ${other} missing-file\n`);
    expect(importSshConfig(undefined, { sshDir: dir }).map((h) => h.name)).toEqual(['abs']);
    writeFileSync(join(dir, 'a'), 'Include b\nHost a\n');
    writeFileSync(join(dir, 'b'), 'Host b\n  Include a\n');
    expect(() => importSshConfig(join(dir, 'a'), { sshDir: dir })).toThrow(/Include loops: .*\/a includes .*\/b includes .*\/a/);
  });

  it('refuses nesting deeper than OpenSSH allows', () => {
    const dir = sshDir();
    for (let i = 0; i < 20; i += 1) writeFileSync(join(dir, `f${i}`), `Include f${i + 1}\nHost h${i}\n`);
    writeFileSync(join(dir, 'f20'), 'Host last\n');
    expect(() => importSshConfig(join(dir, 'f0'), { sshDir: dir })).toThrow(/deeper than 16/);
  });
});
