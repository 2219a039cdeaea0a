import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** A WireGuard key pair, both base64 (44 characters). */
export interface WireGuardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** The PKCS#8 DER header of a raw 32-byte X25519 private key. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

const b64urlToB64 = (s: string) => Buffer.from(s, 'base64url').toString('base64');

/** Makes a new Curve25519 key pair (private key clamped as `wg genkey` prints it). */
export function generateWireGuardKeyPair(): WireGuardKeyPair {
  const { privateKey } = generateKeyPairSync('x25519');
  const d = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  d[0] = (d[0] ?? 0) & 248;
  d[31] = ((d[31] ?? 0) & 127) | 64;
  const clamped = d.toString('base64');
  return { privateKey: clamped, publicKey: wireGuardPublicKey(clamped) };
}

/** Derives the public key of a base64 private key; throws when it is not 32 bytes. */
export function wireGuardPublicKey(privateKeyBase64: string): string {
  const raw = Buffer.from(privateKeyBase64, 'base64');
  if (raw.length !== 32) throw new Error('a WireGuard private key is 32 bytes');
  const key = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  return b64urlToB64(createPublicKey(key).export({ format: 'jwk' }).x as string);
}

/** Whether a string is a base64 WireGuard key (32 bytes). */
export function isWireGuardKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, 'base64').length === 32;
}
