/** Where a host's boot loads its firewall from, and where Spanwise keeps its own fix files; all under `root` (empty on a real host). */
export interface BootPaths {
  root: string;
  /** nftables boot files, Debian's then RHEL's: the one the host's nftables service runs `nft -f` on. */
  nftConfs: string[];
  /** Spanwise's drop-in, included from the nftables boot file. */
  nftDropIn: string;
  /** iptables boot files: netfilter-persistent's rules.v4, iptables-services' sysconfig file. */
  iptablesFiles: string[];
  /** Records of applied fixes, so a revert after a reboot knows what to undo. */
  fixRecords: string;
}

/** The boot paths under `root`. */
export function bootPaths(root = ''): BootPaths {
  if (root !== '' && !/^\/[A-Za-z0-9_./-]+$/.test(root)) throw new Error(`boot root '${root}' must be an absolute path of plain characters`);
  return {
    root,
    nftConfs: [`${root}/etc/nftables.conf`, `${root}/etc/sysconfig/nftables.conf`],
    nftDropIn: `${root}/etc/nftables.d/spanwise.nft`,
    iptablesFiles: [`${root}/etc/iptables/rules.v4`, `${root}/etc/sysconfig/iptables`],
    fixRecords: `${root}/var/lib/spanwise/fixes`,
  };
}

/** A marker line a host script prints for the runner: one change, or why the fix stays runtime only. */
export const marker = {
  change: (kind: 'runtime' | 'persisted', action: 'added' | 'removed', what: string) => `echo "@spanwise change ${kind} ${action} ${what}"`,
  runtimeOnly: (note: string) => `echo "@spanwise runtime-only ${note}"`,
};
