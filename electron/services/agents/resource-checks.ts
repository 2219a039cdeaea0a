import { isIPv6 } from 'node:net';
import { isWireGuardKey } from '../../../agent/shared/wireguard-keys.js';
import { isLoopback, parseEndpoint, parsePrefix } from '../../../agent/shared/ip.js';
import {
  EndpointSource,
  PeerState,
  Severity,
  type Config,
  type Endpoint,
  type HealthWarning,
  type Identity,
  type PeerSpec,
  type PeerStatus,
} from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { pairCodes, type PeerCode } from '../../contract/mesh.js';
import { printable } from '../remote-fields.js';

/**
 * Field checks of the resources an agent sends: untrusted input from another
 * machine. Each check gives the value the desktop keeps, or why it refused it.
 */

/** Any string field longer than this is refused before it is parsed. */
export const MAX_FIELD = 1024;
/** The most entries kept of one repeated field (allowed IPs, endpoints, filters, evidence). */
export const MAX_LIST = 64;
const MAX_REASON = 200;
const MAX_WARNING_TEXT = 500;
/** Round trips above a minute are not measurements of a working mesh. */
const MAX_RTT_MS = 60_000;
const LABEL = /^[A-Za-z0-9._-]{1,253}$/;
const CODE = /^[A-Z0-9_]{1,64}$/;
const HOSTPORT = /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/;

/** The value kept of a resource, or why it was refused. */
export type Checked<T> = { value: T } | { refused: string };

/** This node's identity: its WireGuard public key and mesh address. */
export interface AgentIdentity {
  publicKey: string;
  /** The node's ULA; null when the agent sent none or a malformed one. */
  address: string | null;
  /** The hostname it registered in discovery; '' when malformed. */
  hostname: string;
}

/** One peer as this node's WireGuard sees it; `lastHandshakeMs` is 0 when there was none. */
export interface AgentPeer {
  publicKey: string;
  /** The peer's hostname as discovery gave it; '' when missing or malformed. */
  label: string;
  /** pairCodes: 0 unknown, 1 up, 2 down. */
  state: PeerCode;
  endpoint: string | null;
  lastHandshakeMs: number;
  rx: number;
  tx: number;
  /** Why the agent says what it says, one printable line. */
  reason: string | null;
  /** Round trip through the mesh in ms, as this node's agent measured it; null when not measured. */
  rttMs: number | null;
  /** The label of the mesh node the peer is reached through; absent when direct. */
  via?: string;
}

/** What the mesh should have for one peer, from discovery. */
export interface AgentPeerSpec {
  publicKey: string;
  label: string;
  address: string | null;
  allowedIps: string[];
  endpoints: string[];
}

/** One endpoint this node advertises, in dial order. */
export interface AgentEndpoint {
  address: string;
  /** The address the discovery service saw this node come from (its public side of a NAT). */
  reflected: boolean;
  order: number;
}

/** The agent's effective mesh configuration, as far as the desktop uses it. */
export interface AgentConfig {
  /** The mesh MTU; null when outside 1280..9000. */
  mtu: number | null;
  /** The first discovery endpoint as "host:port"; null when none is well formed. */
  discovery: string | null;
}

/** One problem the agent reports about itself (Tailscale-style health as data). */
export interface AgentHealthWarning {
  code: string;
  severity: 'info' | 'warning' | 'error';
  text: string;
  evidence: Record<string, string>;
}

const text = (v: unknown): v is string => typeof v === 'string';
const tooLong = (v: unknown) => text(v) && v.length > MAX_FIELD;
const key = (v: unknown): v is string => text(v) && isWireGuardKey(v);
const label = (v: unknown) => (text(v) && LABEL.test(v) ? v : '');
const endpoint = (v: unknown): string | null => (text(v) && !tooLong(v) && parseEndpoint(v) !== undefined ? v : null);
const meshAddress = (v: unknown): string | null => (text(v) && v.length <= 45 && isIPv6(v) ? v : null);
const counter = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const roundTrip = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_RTT_MS ? v : null);
const time = (v: unknown) => (v instanceof Date && Number.isFinite(v.getTime()) && v.getTime() > 0 ? v.getTime() : 0);
const stateCode = (s: PeerState): PeerCode =>
  s === PeerState.PEER_STATE_UP ? pairCodes.up : s === PeerState.PEER_STATE_DOWN ? pairCodes.down : pairCodes.unknown;
const list = (v: unknown, keep: (item: unknown) => string | null): string[] =>
  (Array.isArray(v) ? v.slice(0, MAX_LIST) : []).map(keep).filter((item): item is string => item !== null);
const badKey = (what: string): { refused: string } => ({
  refused: `${what}: the public key is not a WireGuard key (44 characters of base64); the resource is skipped`,
});

export function checkIdentity(identity: Identity): Checked<AgentIdentity> {
  if (!key(identity.publicKey)) return badKey('identity');
  return { value: { publicKey: identity.publicKey, address: meshAddress(identity.address), hostname: label(identity.hostname) } };
}

export function checkPeerStatus(peer: PeerStatus): Checked<AgentPeer> {
  if (!key(peer.publicKey)) return badKey('peer status');
  return {
    value: {
      publicKey: peer.publicKey,
      label: label(peer.label),
      state: stateCode(peer.state),
      endpoint: endpoint(peer.endpoint),
      lastHandshakeMs: time(peer.lastHandshake),
      rx: counter(peer.rxBytes),
      tx: counter(peer.txBytes),
      reason: text(peer.reason) && peer.reason !== '' ? printable(peer.reason.slice(0, MAX_REASON), MAX_REASON) : null,
      rttMs: peer.state === PeerState.PEER_STATE_UP ? roundTrip(peer.rttMs) : null,
      ...(label(peer.via) ? { via: label(peer.via) } : {}),
    },
  };
}

export function checkPeerSpec(spec: PeerSpec): Checked<AgentPeerSpec> {
  if (!key(spec.publicKey)) return badKey('peer spec');
  const prefix = (v: unknown) => (text(v) && v.length <= 49 && parsePrefix(v) !== undefined ? v : null);
  return {
    value: {
      publicKey: spec.publicKey,
      label: label(spec.label),
      address: meshAddress(spec.address),
      allowedIps: list(spec.allowedIps, prefix),
      endpoints: list(spec.endpoints, endpoint),
    },
  };
}

export function checkEndpoint(value: Endpoint): Checked<AgentEndpoint> {
  const address = endpoint(value.address);
  if (address === null) return { refused: 'endpoint: the address is not "ip:port" or "[ipv6]:port"; the resource is skipped' };
  const order = typeof value.order === 'number' && Number.isInteger(value.order) && value.order >= 0 ? value.order : Number.MAX_SAFE_INTEGER;
  return { value: { address, reflected: value.source === EndpointSource.ENDPOINT_SOURCE_REFLECTED, order } };
}

export function checkConfig(config: Config): Checked<AgentConfig> {
  const mtu = typeof config.mtu === 'number' && Number.isInteger(config.mtu) && config.mtu >= 1280 && config.mtu <= 9000 ? config.mtu : null;
  const hostPort = (v: unknown) => {
    if (!text(v) || tooLong(v)) return null;
    const bare = v.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
    return HOSTPORT.test(bare) ? bare : null;
  };
  return { value: { mtu, discovery: list(config.discoveryEndpoints, hostPort)[0] ?? null } };
}

const severities: Partial<Record<Severity, AgentHealthWarning['severity']>> = {
  [Severity.SEVERITY_INFO]: 'info',
  [Severity.SEVERITY_WARNING]: 'warning',
  [Severity.SEVERITY_ERROR]: 'error',
};

export function checkHealthWarning(warning: HealthWarning): Checked<AgentHealthWarning> {
  if (!text(warning.code) || !CODE.test(warning.code)) return { refused: 'health warning: the code is not 1 to 64 of A-Z, 0-9 and _; the resource is skipped' };
  const evidence: Record<string, string> = {};
  const entries = warning.evidence && typeof warning.evidence === 'object' ? Object.entries(warning.evidence).slice(0, MAX_LIST) : [];
  for (const [name, value] of entries)
    if (LABEL.test(name) && name.length <= 64 && text(value)) evidence[name] = printable(value.slice(0, MAX_REASON), MAX_REASON);
  return {
    value: {
      code: warning.code,
      severity: severities[warning.severity] ?? 'warning',
      text: text(warning.text) ? printable(warning.text.slice(0, MAX_WARNING_TEXT), MAX_WARNING_TEXT) : '',
      evidence,
    },
  };
}

/** The host's own addresses from its facts (CIDRs), without loopback and malformed ones. */
export function hostAddresses(addresses: readonly unknown[]): string[] {
  return list(addresses, (a) => {
    if (!text(a) || !a.includes('/') || a.length > 49) return null;
    const prefix = parsePrefix(a);
    return prefix && !isLoopback(prefix.addr) ? a : null;
  });
}
