import { join } from 'node:path';
import { STATE_DIR } from './constants.js';

/**
 * Layout of the lab state dir:
 * - `state.json`: what is up (see state.ts)
 * - `secrets/id_ed25519[.pub]`: root login key; `secrets/sudo-password`: labuser's password (0600)
 * - `known_hosts`, `ssh_config`: for plain `ssh -F`
 * - `hosts/<name>/`: the host's private dirs (overlay uppers of /etc, /var, /opt;
 *   /root, /home, /tmp, /run) and `sshd.log`
 */
export const paths = {
  state: join(STATE_DIR, 'state.json'),
  secrets: join(STATE_DIR, 'secrets'),
  identityFile: join(STATE_DIR, 'secrets', 'id_ed25519'),
  passwordFile: join(STATE_DIR, 'secrets', 'sudo-password'),
  knownHosts: join(STATE_DIR, 'known_hosts'),
  sshConfig: join(STATE_DIR, 'ssh_config'),
  hosts: join(STATE_DIR, 'hosts'),
  host: (name: string): string => join(STATE_DIR, 'hosts', name),
};
