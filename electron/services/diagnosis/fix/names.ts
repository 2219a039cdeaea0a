/**
 * Names read from a host or a stored report go into root commands only when
 * they are plain identifiers: nft joins its arguments and parses them again, so
 * a table named `x; flush ruleset` or `x$(...)` (which the netlink API allows)
 * must never reach it, nor a shell.
 */
export const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const NFT_FAMILIES: ReadonlySet<string> = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
export const FIREWALLD_ZONE = /^[A-Za-z0-9_][A-Za-z0-9_+.-]{0,63}$/;
/** A fix's id on the host, e.g. `udp-51820`: its rules carry the comment `spanwise:<id>`. */
export const FIX_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** An nftables chain a rule goes into. */
export interface NftChain {
  family: string;
  table: string;
  chain: string;
}

/** `family table chain` as a chain, or null unless every part is a plain name. */
export function nftChain(anchor: string): NftChain | null {
  const [family = '', table = '', chain = '', ...rest] = anchor.split(' ');
  return rest.length === 0 && NFT_FAMILIES.has(family) && PLAIN_NAME.test(table) && PLAIN_NAME.test(chain) ? { family, table, chain } : null;
}

export const chainText = (c: NftChain) => `${c.family} ${c.table} ${c.chain}`;

/** An nftables rule handle: a positive integer the kernel gave. */
export const isHandle = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** The comment that marks the rules of one fix, so revert touches only them. */
export const fixComment = (fixId: string) => `spanwise:${fixId}`;
