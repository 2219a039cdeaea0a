import { labExec } from '../exec.js';

/** A lab range no host routes to: packets for it die in the lab's "internet" namespace. */
const DEAD_RANGE = '198.19.250.0/24';
const BLOCK_TABLE = 'swlab_no_initiate';

/** What `deadFirstEndpoint` set up, and how to undo it. */
export interface DeadFirstEndpoint {
  /** The dead candidate, first in the host's advertised list. */
  dead: string;
  /** Config keys that put it first (`filters.endpoints`). */
  config: Record<string, unknown>;
  undo(): Promise<void>;
}

/**
 * Gives `host` a second address nobody can reach and filters that advertise it first, so peers dial
 * a dead endpoint before the working one. The host's own nftables also drop the WireGuard packets it
 * would initiate (replies still pass): otherwise its own dial would bring the pair up through
 * roaming and hide the peers' failover, which is what is measured.
 */
export async function deadFirstEndpoint(host: string, publicAddress: string): Promise<DeadFirstEndpoint> {
  const deadIp = `198.19.250.${publicAddress.split('.').at(-1) ?? '1'}`;
  await labExec(host, ['ip', 'addr', 'replace', `${deadIp}/32`, 'dev', 'eth0']);
  const ruleset = `table inet ${BLOCK_TABLE} {\n  chain output {\n    type filter hook output priority filter; policy accept;\n    udp dport 51820 ct state new drop\n  }\n}\n`;
  await labExec(host, ['nft', '-f', '-'], { input: ruleset });
  return {
    dead: `${deadIp}:51820`,
    config: { filters: { endpoints: [DEAD_RANGE, '0.0.0.0/0'] } },
    async undo() {
      await labExec(host, ['ip', 'addr', 'del', `${deadIp}/32`, 'dev', 'eth0'], { allowFailure: true });
      await labExec(host, ['nft', 'delete', 'table', 'inet', BLOCK_TABLE], { allowFailure: true });
    },
  };
}
