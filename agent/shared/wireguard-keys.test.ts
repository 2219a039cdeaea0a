import { describe, expect, it } from 'vitest';
import { base62 } from '../lib/node-id.js';
import { generateWireGuardKeyPair, isWireGuardKey, wireGuardPublicKey } from './wireguard-keys.js';

describe('WireGuard keys', () => {
  it('derives the public key as `wg pubkey` does', () => {
    expect(wireGuardPublicKey('QKb5dT3AHvsqIhclmXTuKSGPrAbzQiZFlpS2e7QAcXI=')).toBe('NOxMA2lbwO/GZ+0W1JGsxOqB3F2uK46ISt8x3ovKAV8=');
  });

  it('generates clamped, consistent pairs', () => {
    const pair = generateWireGuardKeyPair();
    expect(isWireGuardKey(pair.privateKey) && isWireGuardKey(pair.publicKey)).toBe(true);
    const raw = Buffer.from(pair.privateKey, 'base64');
    expect((raw[0] ?? 0) & 7).toBe(0);
    expect((raw[31] ?? 0) & 0xc0).toBe(0x40);
    expect(wireGuardPublicKey(pair.privateKey)).toBe(pair.publicKey);
  });
});

describe('node id', () => {
  it('is base62', () => {
    expect(base62(Uint8Array.from([0, 61]))).toBe('z');
    expect(base62(Uint8Array.from([0, 62]))).toBe('10');
    expect(base62(new Uint8Array(32).fill(0xff))).toMatch(/^[0-9A-Za-z]{43}$/);
  });
});
