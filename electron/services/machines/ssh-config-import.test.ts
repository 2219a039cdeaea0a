import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
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
    { name: 'edge-1', ssh: { user: 'root', host: '10.20.0.5', port: 2222 }, identityFile: join(homedir(), '.ssh/edge'), jump: [{ user: 'ops', host: '198.18.0.1', port: 22 }] },
  ]);
  expect(() => importSshConfig(join(path, 'missing'))).toThrow(/cannot read/);
});
