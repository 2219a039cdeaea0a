import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagesDir } from '../../electron/services/onboarding/package-files.js';
import { checkoutResources } from '../../electron/services/paths.js';

/** Commands the lab runs, with the Debian package that provides each. */
const COMMANDS: Record<string, string> = {
  ip: 'iproute2',
  ss: 'iproute2',
  nft: 'nftables',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  'wireguard-go': 'wireguard-go',
  wg: 'wireguard-tools',
  nc: 'netcat-openbsd',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  mount: 'mount',
  mknod: 'coreutils',
  openssl: 'openssl',
  sudo: 'sudo',
  conntrack: 'conntrack',
  timeout: 'coreutils',
};

const SEARCH = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

function onPath(cmd: string): boolean {
  return SEARCH.some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * What the lab needs and this machine lacks, one readable line each (empty
 * when everything is there): Linux, root, overlayfs, /dev/net/tun, and the
 * commands above.
 */
/** Where a checkout keeps the agent packages that onboarding's `auto` method picks up. */
const SHIPPED_PACKAGES = packagesDir(checkoutResources);
const shippedPackages = () => (existsSync(SHIPPED_PACKAGES) ? readdirSync(SHIPPED_PACKAGES).filter((f) => /\.(deb|rpm)$/.test(f)) : []);

export function missingPrerequisites(): string[] {
  if (process.platform !== 'linux') return [`Linux (this is ${process.platform}): the lab uses network namespaces`];
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root: the lab creates network namespaces (run as root, e.g. in the CI container)');
  for (const [cmd, pkg] of Object.entries(COMMANDS)) {
    if (!onPath(cmd)) missing.push(`${cmd} (install the ${pkg} package)`);
  }
  if (!existsSync('/dev/net/tun')) missing.push('/dev/net/tun (wireguard-go needs TUN)');
  let filesystems = '';
  try {
    filesystems = readFileSync('/proc/filesystems', 'utf8');
  } catch {
    /* reported below */
  }
  if (!/\boverlay\b/.test(filesystems)) missing.push('overlay filesystem (modprobe overlay): hosts get private copies of /etc, /var, /opt');
  if (shippedPackages().length > 0)
    missing.push(
      `no agent packages in ${SHIPPED_PACKAGES} (lab hosts share this machine's /usr, and onboarding's auto method would install them into it): remove the folder, or build them elsewhere with npm run agent:packages -- --out DIR`,
    );
  return missing;
}

/** Thrown when the lab cannot run here; the message names what is missing. */
export class LabPrerequisiteError extends Error {
  constructor(readonly missing: string[]) {
    super(`the Spanwise lab cannot run on this machine; missing: ${missing.join('; ')}`);
  }
}

/** Throws LabPrerequisiteError when anything is missing. */
export function assertPrerequisites(): void {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new LabPrerequisiteError(missing);
}
