import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Affiliate as AffiliateProto, Endpoint as EndpointProto, type IPPrefix as IPPrefixProto } from '../../proto/gen/sidero/discovery/client/affiliate.js';
import { AffiliateExtension } from '../../proto/gen/spanwise/discovery/v1/affiliate_extension.js';
import { SpanwiseError } from './errors.js';
import { siteKinds, type SiteKind } from './site-kinds.js';
import { formatEndpoint, formatIp, formatPrefix, ipFromBytes, parseEndpoint, parseIp, parsePrefix } from './ip.js';

/**
 * The KubeSpan affiliate payload encryption (see KUBESPAN-FACTS.md): the cluster
 * secret is the AES-256 key; affiliate data is AES-256-GCM (nonce ‖ ciphertext ‖ tag),
 * each endpoint is encrypted deterministically (length byte ‖ protobuf ‖ zero
 * padding, AES-ECB) so the discovery server can de-duplicate them.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BLOCK = 16;

/** A member's mesh identity as published in its affiliate payload. */
export interface KubeSpanInfo {
  /** WireGuard public key, base64. */
  publicKey: string;
  /** The member's KubeSpan ULA (IPv6 text). */
  address: string;
  /** Extra prefixes routed to the member (CIDR strings). */
  additionalAddresses: string[];
  /** Prefixes the member asks peers not to use as endpoints (CIDR strings). */
  excludeAdvertisedAddresses: string[];
}

/** The decrypted affiliate payload, with addresses as text. */
export interface AffiliateInfo {
  nodeId: string;
  /** Node addresses as IP text. */
  addresses: string[];
  hostname: string;
  nodename: string;
  /** "controlplane", "worker", "init" or "unknown". */
  machineType: string;
  operatingSystem: string;
  kubespan?: KubeSpanInfo;
  controlPlane?: { apiServerPort: number };
  /** What a Spanwise agent in automatic relay mode adds (field 1000, which Talos skips); absent otherwise. */
  spanwise?: SpanwiseInfo;
  /** Why a member's Spanwise field was ignored (out of bounds); its upstream fields still stand. */
  spanwiseError?: string;
}

/** Most members one affiliate may list as unreachable, and the bytes of each key prefix. */
export const MAX_UNREACHABLE = 32;
const KEY_PREFIX_BYTES = 6;

/** The Spanwise extension of the affiliate payload: what automatic relaying needs. */
export interface SpanwiseInfo {
  /** Relays automatically: may be relayed, and offers to relay other Spanwise members. */
  relayOffer: boolean;
  /** Its site kind when its config knows it, else ''. */
  site: SiteKind | '';
  /** Members it cannot reach directly, as `relayKeyPrefix` of their public keys (hex), at most MAX_UNREACHABLE. */
  unreachable: string[];
}

/** The short form of a WireGuard public key published in `unreachable`: its first KEY_PREFIX_BYTES bytes, hex. */
export const relayKeyPrefix = (publicKey: string): string => Buffer.from(publicKey, 'base64').subarray(0, KEY_PREFIX_BYTES).toString('hex');

/** Why an extension is out of bounds, or undefined when it is within them. */
function extensionProblem(site: string, unreachable: readonly Uint8Array[]): string | undefined {
  if (site && !(siteKinds as readonly string[]).includes(site))
    return `spanwise.site: ${JSON.stringify(site.slice(0, 20))} is not one of ${siteKinds.join(', ')}`;
  if (unreachable.length > MAX_UNREACHABLE) return `spanwise.unreachable: ${unreachable.length} entries, at most ${MAX_UNREACHABLE}`;
  const bad = unreachable.findIndex((u) => u.length !== KEY_PREFIX_BYTES);
  if (bad >= 0) return `spanwise.unreachable[${bad}]: ${unreachable[bad]?.length} bytes, not ${KEY_PREFIX_BYTES}`;
  return undefined;
}

function encodeExtension(info: SpanwiseInfo): Buffer {
  const unreachable = info.unreachable.map((u) => Buffer.from(u, 'hex'));
  const problem = extensionProblem(info.site, unreachable);
  if (problem) throw new SpanwiseError('BAD_AFFILIATE', problem);
  return Buffer.from(AffiliateExtension.encode({ spanwise: { relayOffer: info.relayOffer, site: info.site, unreachable } }).finish());
}

/** Reads the extension of a payload: undefined when absent, an error text when out of bounds. */
function decodeExtension(bytes: Uint8Array): { spanwise?: SpanwiseInfo; spanwiseError?: string } {
  const ext = AffiliateExtension.decode(bytes).spanwise;
  if (!ext) return {};
  const problem = extensionProblem(ext.site, ext.unreachable);
  if (problem) return { spanwiseError: problem };
  const site = ext.site as SpanwiseInfo['site'];
  return { spanwise: { relayOffer: ext.relayOffer, site, unreachable: ext.unreachable.map((u) => Buffer.from(u).toString('hex')) } };
}

function cryptoError(message: string): SpanwiseError {
  return new SpanwiseError('DISCOVERY_CRYPTO', message, 'check that the cluster secret matches the cluster id');
}

/** Decodes the base64 cluster secret into the 32-byte AES key; the secret itself never appears in errors. */
export function clusterKey(secretBase64: string): Buffer {
  const trimmed = secretBase64.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new SpanwiseError('BAD_CLUSTER_SECRET', `cluster secret must be 32 bytes in base64 (got ${key.length} bytes)`);
  }
  return key;
}

/** AES-256-GCM with a random 12-byte nonce: nonce ‖ ciphertext ‖ tag. */
export function encryptData(key: Buffer, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Inverse of encryptData; throws DISCOVERY_CRYPTO when the tag does not verify. */
export function decryptData(key: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw cryptoError(`affiliate data too short (${sealed.length} bytes)`);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw cryptoError('affiliate data does not decrypt with this cluster secret');
  }
}

/** Deterministic endpoint encryption: length byte ‖ bytes ‖ zero padding to 16, AES-256-ECB. */
export function encryptBlock(key: Buffer, plaintext: Uint8Array): Buffer {
  if (plaintext.length > 255) throw cryptoError('endpoint payload longer than 255 bytes');
  const padded = Buffer.alloc(Math.ceil((plaintext.length + 1) / BLOCK) * BLOCK);
  padded[0] = plaintext.length;
  padded.set(plaintext, 1);
  const cipher = createCipheriv('aes-256-ecb', key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}

/** Inverse of encryptBlock; checks the length byte and the zero padding. */
export function decryptBlock(key: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length === 0 || sealed.length % BLOCK !== 0) throw cryptoError(`endpoint blob is ${sealed.length} bytes, not a multiple of 16`);
  const decipher = createDecipheriv('aes-256-ecb', key, null);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(sealed), decipher.final()]);
  const length = plain[0] ?? 0;
  if (length > plain.length - 1 || plain.subarray(1 + length).some((b) => b !== 0)) {
    throw cryptoError('endpoint blob does not decrypt with this cluster secret');
  }
  return plain.subarray(1, 1 + length);
}

function ipBytes(text: string, field: string): Buffer {
  const addr = parseIp(text);
  if (!addr) throw new SpanwiseError('BAD_ADDRESS', `${field}: '${text}' is not an IP address`);
  return Buffer.from(addr.bytes);
}

function ipText(raw: Uint8Array, field: string): string {
  const addr = ipFromBytes(raw);
  if (!addr) throw cryptoError(`${field}: ${raw.length} bytes is not an IP address`);
  return formatIp(addr);
}

function prefixProto(text: string, field: string): IPPrefixProto {
  const prefix = parsePrefix(text);
  if (!prefix) throw new SpanwiseError('BAD_ADDRESS', `${field}: '${text}' is not a CIDR prefix`);
  return { ip: Buffer.from(prefix.addr.bytes), bits: prefix.bits };
}

function prefixText(p: IPPrefixProto, field: string): string {
  const addr = ipFromBytes(p.ip);
  if (!addr) throw cryptoError(`${field}: ${p.ip.length} bytes is not an IP address`);
  return formatPrefix({ addr, bits: p.bits });
}

/** Encodes the payload proto (canonical protobuf) from the typed object; the Spanwise extension, when set, follows the upstream fields. */
export function encodeAffiliatePayload(info: AffiliateInfo): Buffer {
  const proto: AffiliateProto = {
    nodeId: info.nodeId,
    addresses: info.addresses.map((a, i) => ipBytes(a, `addresses[${i}]`)),
    hostname: info.hostname,
    nodename: info.nodename,
    machineType: info.machineType,
    operatingSystem: info.operatingSystem,
    kubespan: info.kubespan && {
      publicKey: info.kubespan.publicKey,
      address: ipBytes(info.kubespan.address, 'kubespan.address'),
      additionalAddresses: info.kubespan.additionalAddresses.map((p, i) => prefixProto(p, `kubespan.additionalAddresses[${i}]`)),
      excludeAdvertisedAddresses: info.kubespan.excludeAdvertisedAddresses.map((p, i) => prefixProto(p, `kubespan.excludeAdvertisedAddresses[${i}]`)),
    },
    controlPlane: info.controlPlane && { apiServerPort: info.controlPlane.apiServerPort },
  };
  const upstream = Buffer.from(AffiliateProto.encode(proto).finish());
  return info.spanwise ? Buffer.concat([upstream, encodeExtension(info.spanwise)]) : upstream;
}

/** Decodes the payload proto into the typed object; an out-of-bounds extension is dropped and named in `spanwiseError`. */
export function decodeAffiliatePayload(bytes: Uint8Array): AffiliateInfo {
  let proto: AffiliateProto;
  try {
    proto = AffiliateProto.decode(bytes);
  } catch {
    throw cryptoError('affiliate payload is not a valid protobuf message');
  }
  let extension: ReturnType<typeof decodeExtension>;
  try {
    extension = decodeExtension(bytes);
  } catch {
    extension = { spanwiseError: 'spanwise: not a valid message' };
  }
  const info: AffiliateInfo = {
    nodeId: proto.nodeId,
    addresses: proto.addresses.map((a, i) => ipText(a, `addresses[${i}]`)),
    hostname: proto.hostname,
    nodename: proto.nodename,
    machineType: proto.machineType,
    operatingSystem: proto.operatingSystem,
  };
  if (proto.kubespan) {
    const ks = proto.kubespan;
    info.kubespan = {
      publicKey: ks.publicKey,
      address: ks.address.length ? ipText(ks.address, 'kubespan.address') : '',
      additionalAddresses: ks.additionalAddresses.map((p, i) => prefixText(p, `kubespan.additionalAddresses[${i}]`)),
      excludeAdvertisedAddresses: ks.excludeAdvertisedAddresses.map((p, i) => prefixText(p, `kubespan.excludeAdvertisedAddresses[${i}]`)),
    };
  }
  if (proto.controlPlane) info.controlPlane = { apiServerPort: proto.controlPlane.apiServerPort };
  return { ...info, ...extension };
}

/** Encodes "ip:port" (IPv6 as "[ip]:port") as the canonical Endpoint protobuf. */
export function encodeEndpoint(text: string): Buffer {
  const endpoint = parseEndpoint(text);
  if (!endpoint) throw new SpanwiseError('BAD_ENDPOINT', `endpoint '${text}' is not ip:port`);
  return Buffer.from(EndpointProto.encode({ ip: Buffer.from(endpoint.addr.bytes), port: endpoint.port }).finish());
}

/** Decodes an Endpoint protobuf into "ip:port". */
export function decodeEndpoint(bytes: Uint8Array): string {
  let proto: EndpointProto;
  try {
    proto = EndpointProto.decode(bytes);
  } catch {
    throw cryptoError('endpoint is not a valid protobuf message');
  }
  const addr = ipFromBytes(proto.ip);
  if (!addr || proto.port < 1 || proto.port > 65535) throw cryptoError('endpoint has no valid address and port');
  return formatEndpoint({ addr, port: proto.port });
}

/** Encrypts the affiliate payload for publishing as AffiliateUpdateRequest.affiliate_data. */
export function sealAffiliate(key: Buffer, info: AffiliateInfo): Buffer {
  return encryptData(key, encodeAffiliatePayload(info));
}

/** Decrypts and decodes AffiliateUpdateRequest.affiliate_data. */
export function openAffiliate(key: Buffer, data: Uint8Array): AffiliateInfo {
  return decodeAffiliatePayload(decryptData(key, data));
}

/** Encrypts one "ip:port" endpoint deterministically. */
export function sealEndpoint(key: Buffer, endpoint: string): Buffer {
  return encryptBlock(key, encodeEndpoint(endpoint));
}

/** Decrypts one endpoint blob into "ip:port". */
export function openEndpoint(key: Buffer, blob: Uint8Array): string {
  return decodeEndpoint(decryptBlock(key, blob));
}
