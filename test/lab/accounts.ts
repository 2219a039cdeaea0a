import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SUDO_UID, SUDO_USER } from './constants.js';
import { run } from './run.js';

/** The account databases a host gets in its private /etc. */
export interface AccountFiles {
  passwd: string;
  shadow: string;
  group: string;
  gshadow: string;
  /** gid of the `shadow` group (owner of /etc/shadow). */
  shadowGid: number;
}

/** A fresh random password for the lab's sudo user. */
export function newPassword(): string {
  return randomBytes(15).toString('base64url');
}

/** SHA-512 crypt hash of a password (the password goes through stdin only). */
export async function hashPassword(password: string): Promise<string> {
  const { stdout } = await run(['openssl', 'passwd', '-6', '-stdin'], { input: `${password}\n` });
  return stdout.trim();
}

/**
 * The machine's account files plus `labuser` (member of `sudo`, so sudo asks
 * for its password), with root's password field `*` (key login only; a `!`
 * would make sshd refuse even keys).
 */
export async function accountFiles(passwordHash: string): Promise<AccountFiles> {
  const [passwd, shadow, group, gshadow] = (await Promise.all(
    ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow'].map((f) => readFile(f, 'utf8').catch(() => '')),
  )) as [string, string, string, string];
  const drop = (text: string): string[] => text.split('\n').filter((l) => l && !l.startsWith(`${SUDO_USER}:`));
  const addToSudo = (line: string): string => {
    if (!line.startsWith('sudo:')) return line;
    const fields = line.split(':');
    const members = (fields[fields.length - 1] ?? '').split(',').filter(Boolean);
    fields[fields.length - 1] = [...members, SUDO_USER].join(',');
    return fields.join(':');
  };
  const shadowGid = Number(
    group
      .split('\n')
      .find((l) => l.startsWith('shadow:'))
      ?.split(':')[2] ?? 0,
  );
  return {
    passwd: [...drop(passwd), `${SUDO_USER}:x:${SUDO_UID}:${SUDO_UID}:Spanwise lab user:/home/${SUDO_USER}:/bin/bash`].join('\n') + '\n',
    shadow:
      [...drop(shadow).map((l) => (l.startsWith('root:') ? l.replace(/^root:[^:]*:/, 'root:*:') : l)), `${SUDO_USER}:${passwordHash}:19000:0:99999:7:::`].join(
        '\n',
      ) + '\n',
    group: [...drop(group).map(addToSudo), `${SUDO_USER}:x:${SUDO_UID}:`].join('\n') + '\n',
    gshadow: [...drop(gshadow).map(addToSudo), `${SUDO_USER}:!::`].join('\n') + '\n',
    shadowGid,
  };
}
