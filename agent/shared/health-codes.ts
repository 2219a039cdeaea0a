/**
 * The one vocabulary of problem codes shared by the agent and the desktop.
 * An agent publishes health warnings with the codes it owns; the desktop's
 * diagnosis turns them into findings of the same code, and raises the codes it
 * owns from its own probes. UI, CLI and docs key on these codes: never rename one.
 */

/** The severity a code is raised with unless the evidence says otherwise. */
export type CodeSeverity = 'info' | 'warning' | 'error';

/** Who detects it: the agent on its host (a health warning), or the desktop's diagnosis. */
export type CodeOwner = 'agent' | 'desktop';

/** One registered code. */
export interface CodeEntry {
  severity: CodeSeverity;
  owner: CodeOwner;
  /** What the code means, one sentence. */
  text: string;
  /** How to clear it, for findings raised from an agent's warning. */
  fix?: string;
}

const entry = (owner: CodeOwner, severity: CodeSeverity, text: string, fix?: string): CodeEntry => ({ owner, severity, text, ...(fix ? { fix } : {}) });

/** Every code, in the order findings of equal severity are listed. */
export const problemCodes = {
  UDP_51820_INBOUND_BLOCKED: entry('desktop', 'error', 'UDP 51820 does not arrive at a node (its own firewall, or upstream)'),
  UDP_51820_OUTBOUND_BLOCKED: entry('desktop', 'error', 'UDP 51820 from a node never leaves its host or site'),
  TCP_50000_OUTBOUND_BLOCKED: entry('desktop', 'warning', "TCP 50000 from a node to other nodes' agent API never leaves its host or site"),
  TCP_50000_UNREACHABLE: entry('desktop', 'warning', 'the agent API on TCP 50000 does not answer directly'),
  IPV6_ONLY_BLOCKED: entry('desktop', 'warning', 'a port is open over IPv4 but blocked over IPv6 (an ip6 or inet rule, ip6tables)'),
  PAIR_NO_INBOUND_END: entry('desktop', 'error', 'neither end of a pair accepts UDP 51820 inbound'),
  BEHIND_NAT: entry('desktop', 'info', 'the address others see is not one of the node’s own'),
  PEER_DOWN: entry('desktop', 'error', 'a pair that WireGuard reports down'),
  DUPLICATE_MESH_ADDRESS: entry('desktop', 'error', 'two members claim the same mesh address (cloned machines with equal MACs or node ids)'),
  STALE_PEER_KEY: entry('desktop', 'warning', 'a peer with an old key lingers after the node’s key changed'),
  RP_FILTER_STRICT: entry('desktop', 'warning', 'strict reverse-path filtering (rp_filter=1) drops mesh traffic'),
  ENDPOINTS_PRIVATE_ONLY: entry('desktop', 'warning', 'a node advertises only private endpoints and discovery reflected no public address'),
  MTU_TOO_LARGE: entry('desktop', 'warning', 'the mesh MTU plus WireGuard overhead does not fit the link or path'),
  LINK_LOCAL_NODE_ADDRESS: entry('desktop', 'warning', 'a node advertises or holds a link-local address'),
  DISCOVERY_UNREACHABLE: entry(
    'agent',
    'error',
    'a node cannot reach the discovery service',
    'Let the node reach the discovery service over TCP, and check that it runs.',
  ),
  CLOCK_SKEW: entry('agent', 'warning', 'the host clock is off', 'Synchronize the clock (enable NTP: timedatectl set-ntp true, or chrony).'),
  CLOCK_NOT_SYNCHRONIZED: entry('agent', 'info', 'the host clock is not synchronized by NTP', 'Enable NTP (timedatectl set-ntp true, or chrony).'),
  PORT_51820_TAKEN: entry(
    'agent',
    'error',
    'another program holds UDP 51820',
    'Stop the program that holds UDP 51820 (ss -ulpn sport = :51820 names it), or move it.',
  ),
  MTU_ABOVE_UNDERLAY: entry(
    'agent',
    'warning',
    'the mesh MTU is above what the underlay link carries',
    'Lower the mesh MTU to the recommended value, or raise the link MTU.',
  ),
  NO_PHYSICAL_NIC: entry(
    'agent',
    'info',
    'no physical Ethernet link: the mesh address comes from a virtual link, and changes if that link is recreated',
    'Nothing while the virtual link stays; give the host a stable link (a fixed MAC) if it is recreated at boot.',
  ),
  LINK_LOCAL_ADDRESS: entry(
    'agent',
    'info',
    'a link of the host carries only a link-local IPv4 address',
    'Give the link a routable address, or exclude 169.254.0.0/16 from endpoints.',
  ),
  ENDPOINT_ROTATION: entry(
    'agent',
    'warning',
    'the agent keeps rotating a peer’s endpoint without a handshake',
    'Check the peer’s advertised endpoints and the firewalls between.',
  ),
  PEER_ADDRESS_OVERLAP: entry(
    'agent',
    'warning',
    'two peers claim overlapping addresses',
    'Remove the duplicate member, or give the cloned machine a new identity.',
  ),
  RELAY_REFUSED: entry(
    'agent',
    'warning',
    'a relay in the cluster settings cannot be used (a member is missing or not Spanwise-managed)',
    'Onboard the named nodes, or remove the relay with `spanwise settings set --no-relay A,B`.',
  ),
  RELAY_DATA_INVALID: entry(
    'agent',
    'warning',
    'a member publishes automatic-relay data out of bounds (too many entries, wrong lengths); it is neither relayed nor a relay',
    'Upgrade the named node to this Spanwise version (`spanwise node upgrade NAME`), or remove it if it is not yours.',
  ),
  WIREGUARD_APPLY_FAILED: entry(
    'agent',
    'error',
    'the agent could not program WireGuard',
    'Read the agent log; check that the WireGuard module or wireguard-go is present.',
  ),
  DISCOVERY_UNDECRYPTABLE: entry(
    'agent',
    'warning',
    'members in discovery cannot be decrypted with the cluster secret',
    'Check that every node uses the same cluster id and secret.',
  ),
  AGENT_HEALTH_WARNING: entry(
    'desktop',
    'warning',
    'an agent reports a warning with a code this desktop does not know',
    'Update the desktop; the agent is newer.',
  ),
} as const satisfies Record<string, CodeEntry>;

/** A registered code. */
export type ProblemCode = keyof typeof problemCodes;

/** All codes, in registry order. */
export const problemCodeList = Object.keys(problemCodes) as ProblemCode[];

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(problemCodes, code);
}

/** One registered reason a pair that is up counts as fragile. */
export interface FragileReasonEntry {
  /** Why the pair is fragile, one sentence. */
  text: string;
  /** What keeps it up or clears it, one sentence. */
  fix: string;
}

/**
 * Why a pair that WireGuard reports up is only fragile (state `fragile`): the
 * codes `spanwise status --json` lists as `reasons` and the UI keys on. Never rename one.
 */
export const fragileReasons = {
  ONE_WAY_INBOUND: {
    text: 'the pair is up only because one end dials out: UDP 51820 inbound is blocked at a NAT or stateful firewall in one direction, so it breaks when the mapping expires',
    fix: 'Open or forward UDP 51820 inbound to the blocked end (see its finding).',
  },
  MTU_ABOVE_PATH: {
    text: 'the mesh MTU is above what the path carries (the recommended MTU is lower), so large packets are lost',
    fix: "Lower the cluster's mesh MTU to the recommended value in Settings.",
  },
  WARNING_OPEN: {
    text: 'a warning of the last diagnosis is open on one of the two ends',
    fix: 'Clear the warning named on the Firewall screen.',
  },
} as const satisfies Record<string, FragileReasonEntry>;

/** A registered fragile-pair reason. */
export type FragileReason = keyof typeof fragileReasons;

/** All fragile reasons, in the order they are listed. */
export const fragileReasonList = Object.keys(fragileReasons) as FragileReason[];
