import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An OpenSSH server on 127.0.0.1 with a fresh host key, for host-key and sign-in failures. */
export interface ThrowawaySshd {
  port: number;
  /** `SHA256:...` of its host key, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts /usr/sbin/sshd in the foreground on a free port; resolves once it accepts connections. */
export async function startThrowawaySshd(): Promise<ThrowawaySshd> {
  const dir = mkdtempSync(join(tmpdir(), 'spanwise-sshd-'));
  const key = join(dir, 'host_ed25519');
  const keygen = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key], { encoding: 'utf8' });
  if (keygen.status !== 0) throw new Error(`ssh-keygen failed: ${keygen.stderr}`);
  const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).stdout)?.[0];
  if (!fingerprint) throw new Error('cannot read the host key fingerprint');
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${key}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'PasswordAuthentication yes',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start: ${stderr}`)), 5000);
    child.once('exit', () => reject(new Error(`sshd exited: ${stderr}`)));
    const check = () => (stderr.includes('Server listening') ? (clearTimeout(timer), resolve()) : setTimeout(check, 50));
    check();
  });
  return { port, fingerprint, stop: () => child.kill() };
}
