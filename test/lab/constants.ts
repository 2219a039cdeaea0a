/**
 * Fixed names and ranges of the lab. Everything the lab creates carries the
 * `swlab-` prefix or lives under STATE_DIR, so cleanup can be exact.
 *
 * Addressing (all inside 198.18.0.0/15, the range reserved for benchmarking,
 * RFC 2544; nothing ever targets an address outside it):
 * - 198.18.0.0/16 is the simulated public net, one bridge in the `swlab-inet`
 *   namespace. 198.18.0.1 is that namespace (the "internet": it routes
 *   nowhere), 198.18.0.2 is the desktop (the root namespace, link `swlab-desk`).
 * - Site number s (1-based, scenario order): cloud hosts get 198.18.s.(10+i);
 *   a gateway's WAN address is 198.18.s.1.
 * - 198.19.s.0/24 is the private LAN of site s (only inside namespaces): the
 *   gateway is 198.19.s.1, its hosts 198.19.s.(10+i).
 */
export const PREFIX = 'swlab-';
/** Namespace holding the public bridge. */
export const INET_NS = `${PREFIX}inet`;
/** The root namespace's link onto the public net. */
export const DESKTOP_LINK = `${PREFIX}desk`;
export const PUBLIC_BRIDGE = 'pub0';
export const LAN_BRIDGE = 'lan0';
export const PUBLIC_PREFIX_LEN = 16;
export const LAN_PREFIX_LEN = 24;
export const INET_ADDRESS = '198.18.0.1';
export const DESKTOP_ADDRESS = '198.18.0.2';
/** Where every lab file lives: state, secrets, per-host dirs, logs. */
export const STATE_DIR = process.env.SPANWISE_LAB_DIR ?? '/run/spanwise-lab';
/** The non-root user on every host: logs in by password, sudo asks for it. */
export const SUDO_USER = 'labuser';
export const SUDO_UID = 2077;
export const DEFAULT_MTU = 1500;
/** Host name rule: short enough for link names like `p-<name>` (15 chars max). */
export const HOST_NAME_RE = /^[a-z][a-z0-9-]{0,11}$/;
/** Reserved host name for the root namespace in reachability matrices. */
export const DESKTOP = 'desktop';
