/**
 * sshd_config of every lab host: root by key only, password logins for the
 * sudo user, SFTP built in, generous limits for parallel tests. No PAM: the
 * hosts have no systemd/logind, and sshd checks /etc/shadow itself.
 */
export function sshdConfig(): string {
  return [
    'Port 22',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PidFile /run/sshd.pid',
    'AllowTcpForwarding yes',
    'PrintMotd no',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
