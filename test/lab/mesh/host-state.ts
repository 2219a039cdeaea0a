import { labExec } from '../exec.js';

/**
 * What the agent may have left on a host: the mesh link, rule 32500, table 180 routes, the
 * nftables table, wireguard-go's socket or process, an agent process. Empty when the host is clean.
 */
export async function meshLeftovers(host: string): Promise<string[]> {
  const checks: [string, string][] = [
    ['kubespan link', 'ip link show dev kubespan'],
    ['IPv4 rule 32500', 'ip -4 rule show priority 32500 | grep -q .'],
    ['IPv6 rule 32500', 'ip -6 rule show priority 32500 | grep -q .'],
    ['IPv4 table 180 routes', 'ip -4 route show table 180 | grep -q .'],
    ['IPv6 table 180 routes', 'ip -6 route show table 180 | grep -q .'],
    ['nftables table spanwise_kubespan', 'nft list table inet spanwise_kubespan'],
    ['wireguard-go socket', 'test -e /run/wireguard/kubespan.sock'],
    ['wireguard-go process', 'pgrep -x wireguard-go'],
    ['agent process', 'pgrep -f "spanwise-agent.mjs (run|supervise)"'],
  ];
  const found = await Promise.all(
    checks.map(async ([what, command]) => ((await labExec(host, `${command} >/dev/null 2>&1`, { allowFailure: true })).code === 0 ? what : '')),
  );
  return found.filter(Boolean);
}

/** `wg show kubespan transfer` as received/sent bytes per peer public key. */
export async function wgTransfer(host: string): Promise<Map<string, { rx: number; tx: number }>> {
  const { stdout } = await labExec(host, ['wg', 'show', 'kubespan', 'transfer']);
  return new Map(
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [key = '', rx = '0', tx = '0'] = line.split('\t');
        return [key, { rx: Number(rx), tx: Number(tx) }];
      }),
  );
}
