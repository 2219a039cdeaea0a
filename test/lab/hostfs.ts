import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountFiles } from './accounts.js';
import { SUDO_UID, SUDO_USER } from './constants.js';
import { paths } from './paths.js';
import type { PlannedHost } from './plan.js';
import { run } from './run.js';
import { sshdConfig } from './sshd-config.js';

/** Dirs that get a private copy-on-write overlay (lower = the machine's dir). */
export const OVERLAY_DIRS = ['etc', 'var', 'opt'] as const;
/** Dirs that get a private empty dir bind-mounted over them; `run` last (the state dir is under /run). */
export const PRIVATE_DIRS = ['root', 'home', 'tmp', 'run'] as const;

/** Inputs shared by every host of one lab run. */
export interface HostFsContext {
  accounts: AccountFiles;
  rootPublicKey: string;
  /** Lines for /etc/hosts naming every lab host. */
  hostsLines: string[];
}

/**
 * Creates the host's private dirs under the state dir and seeds them: its own
 * /etc (hostname, hosts, machine-id, accounts, sshd config, its own host key,
 * the machine's other host keys hidden), root's authorized key, labuser's home,
 * an empty /run (with /run/sshd) and /tmp. Returns the host's public host key.
 */
export async function prepareHostFs(host: PlannedHost, ctx: HostFsContext): Promise<string> {
  const base = paths.host(host.name);
  const etc = join(base, 'etc');
  for (const d of OVERLAY_DIRS) {
    await mkdir(join(base, d), { recursive: true });
    await mkdir(join(base, `${d}.work`), { recursive: true });
  }
  for (const d of PRIVATE_DIRS) await mkdir(join(base, d), { recursive: true });
  await chmod(join(base, 'tmp'), 0o1777);
  await chmod(join(base, 'root'), 0o700);
  await mkdir(join(base, 'run', 'sshd'), { recursive: true });
  await mkdir(join(base, 'run', 'lock'), { recursive: true });
  await chmod(join(base, 'run', 'lock'), 0o1777);

  await writeFile(join(etc, 'hostname'), `${host.name}\n`);
  await writeFile(join(etc, 'hosts'), ['127.0.0.1 localhost', `127.0.1.1 ${host.name}`, ...ctx.hostsLines, ''].join('\n'));
  await writeFile(join(etc, 'machine-id'), `${randomBytes(16).toString('hex')}\n`, { mode: 0o444 });
  await writeFile(join(etc, 'passwd'), ctx.accounts.passwd, { mode: 0o644 });
  await writeFile(join(etc, 'group'), ctx.accounts.group, { mode: 0o644 });
  for (const f of ['shadow', 'gshadow'] as const) {
    await writeFile(join(etc, f), ctx.accounts[f], { mode: 0o640 });
    await chown(join(etc, f), 0, ctx.accounts.shadowGid);
  }

  const ssh = join(etc, 'ssh');
  await mkdir(ssh, { recursive: true });
  const machineKeys = (await readdir('/etc/ssh').catch(() => [] as string[])).filter((f) => f.startsWith('ssh_host_'));
  // Hide the machine's own host keys: an overlay whiteout is a 0/0 char device.
  await Promise.all(machineKeys.filter((f) => !f.startsWith('ssh_host_ed25519_key')).map((f) => run(['mknod', join(ssh, f), 'c', '0', '0'])));
  await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `root@${host.name}`, '-f', join(ssh, 'ssh_host_ed25519_key')]);
  await writeFile(join(ssh, 'sshd_config'), sshdConfig());

  await mkdir(join(base, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(join(base, 'root', '.ssh', 'authorized_keys'), `${ctx.rootPublicKey.trim()}\n`, { mode: 0o600 });
  const home = join(base, 'home', SUDO_USER);
  await mkdir(home, { recursive: true });
  await chmod(home, 0o750);
  await chown(home, SUDO_UID, SUDO_UID);

  return (await readFile(join(ssh, 'ssh_host_ed25519_key.pub'), 'utf8')).trim();
}

/**
 * The shell script a host's init runs inside its fresh mount, UTS and PID
 * namespaces: set the hostname, mount the private dirs, then become sshd.
 * `mount -n` and LIBMOUNT_UTAB keep the machine's /run/mount untouched.
 */
export function mountScript(host: PlannedHost): string {
  const base = paths.host(host.name);
  return [
    'set -e',
    // libmount would otherwise create /run/mount/utab on the machine before /run is private.
    `export LIBMOUNT_UTAB=${base}/utab`,
    `hostname ${host.name}`,
    'mount -n -t proc proc /proc',
    ...OVERLAY_DIRS.map((d) => `mount -n -t overlay overlay -o lowerdir=/${d},upperdir=${base}/${d},workdir=${base}/${d}.work /${d}`),
    // The machine's namespace handles are none of the host's business.
    'umount -n -l /run/netns 2>/dev/null || true',
    ...PRIVATE_DIRS.map((d) => `mount -n --bind ${base}/${d} /${d}`),
    'unset LIBMOUNT_UTAB',
    'cd /',
    'exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config',
  ].join('\n');
}
