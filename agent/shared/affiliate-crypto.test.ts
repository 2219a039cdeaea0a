import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  clusterKey,
  decodeAffiliatePayload,
  decryptBlock,
  decryptData,
  encodeAffiliatePayload,
  encodeEndpoint,
  encryptBlock,
  openAffiliate,
  openEndpoint,
  sealAffiliate,
  sealEndpoint,
  type AffiliateInfo,
} from './affiliate-crypto.js';

const secret = Buffer.alloc(32, 7).toString('base64');
const key = clusterKey(secret);

const member: AffiliateInfo = {
  nodeId: 'n0deId0123456789',
  addresses: ['10.0.0.2', '2001:db8::5'],
  hostname: 'edge-1',
  nodename: 'edge-1',
  machineType: 'worker',
  operatingSystem: 'Debian 12',
  kubespan: {
    publicKey: 'mKZq0Z0zhH0e6jT0mOlt0Sx8k0E5Uo4Up4m9uL1tH3k=',
    address: 'fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169',
    additionalAddresses: ['10.244.1.0/24', 'fd00:10:244:1::/64'],
    excludeAdvertisedAddresses: ['192.168.0.0/16'],
  },
  controlPlane: { apiServerPort: 6443 },
};

describe('endpoint encoding', () => {
  it('encodes 10.0.0.2:51820 canonically', () => {
    expect(encodeEndpoint('10.0.0.2:51820').toString('hex')).toBe('0a040a00000210ec9403');
  });

  it('encrypts one length-prefixed zero-padded block with raw AES', () => {
    const blob = sealEndpoint(key, '10.0.0.2:51820');
    expect(blob.length).toBe(16);
    const decipher = createDecipheriv('aes-256-ecb', key, null);
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(blob), decipher.final()]);
    expect(plain.toString('hex')).toBe('0a0a040a00000210ec9403' + '00'.repeat(5));
  });

  it('is deterministic so the server can de-duplicate', () => {
    expect(sealEndpoint(key, '10.0.0.2:51820').equals(sealEndpoint(key, '10.0.0.2:51820'))).toBe(true);
    expect(sealEndpoint(key, '10.0.0.2:51820').equals(sealEndpoint(key, '10.0.0.3:51820'))).toBe(false);
  });

  it('round trips IPv4 and IPv6 endpoints', () => {
    for (const ep of ['10.0.0.2:51820', '203.0.113.9:1', '[2001:db8::1]:51820', '[fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169]:65535']) {
      expect(openEndpoint(key, sealEndpoint(key, ep))).toBe(ep);
    }
    expect(sealEndpoint(key, '[2001:db8::1]:51820').length).toBe(32);
  });

  it('rejects malformed endpoints and wrong keys', () => {
    expect(() => encodeEndpoint('10.0.0.2')).toThrow(/ip:port/);
    expect(() => encodeEndpoint('2001:db8::1:51820')).toThrow(/ip:port/);
    const other = randomBytes(32);
    expect(() => openEndpoint(other, sealEndpoint(key, '10.0.0.2:51820'))).toThrow(/cluster secret|valid/);
    expect(() => decryptBlock(key, Buffer.alloc(15))).toThrow(/multiple of 16/);
  });

  it('pads to a multiple of 16 including the length byte', () => {
    expect(encryptBlock(key, Buffer.alloc(15)).length).toBe(16);
    expect(encryptBlock(key, Buffer.alloc(16)).length).toBe(32);
    expect(decryptBlock(key, encryptBlock(key, Buffer.alloc(0))).length).toBe(0);
  });
});

describe('affiliate data', () => {
  it('round trips the typed payload through protobuf and AES-GCM', () => {
    const sealed = sealAffiliate(key, member);
    expect(openAffiliate(key, sealed)).toEqual(member);
    expect(sealed.length).toBe(12 + encodeAffiliatePayload(member).length + 16);
  });

  it('uses a fresh nonce each time', () => {
    expect(sealAffiliate(key, member).equals(sealAffiliate(key, member))).toBe(false);
  });

  it('fails clearly on a wrong key or tampered data', () => {
    const sealed = sealAffiliate(key, member);
    expect(() => openAffiliate(randomBytes(32), sealed)).toThrow(/does not decrypt/);
    sealed[20] = (sealed[20] ?? 0) ^ 1;
    expect(() => decryptData(key, sealed)).toThrow(/does not decrypt/);
    expect(() => decryptData(key, Buffer.alloc(10))).toThrow(/too short/);
  });

  it('keeps optional parts optional and IPv4 as 4 bytes', () => {
    const minimal: AffiliateInfo = { nodeId: 'x', addresses: ['192.0.2.1'], hostname: '', nodename: '', machineType: 'unknown', operatingSystem: '' };
    const bytes = encodeAffiliatePayload(minimal);
    expect(bytes.toString('hex')).toContain('1204c0000201');
    expect(decodeAffiliatePayload(bytes)).toEqual(minimal);
  });

  it('names the field of a bad address', () => {
    expect(() => encodeAffiliatePayload({ ...member, addresses: ['nope'] })).toThrow(/addresses\[0\]/);
  });
});

describe('cluster key', () => {
  it('accepts exactly 32 bytes of base64 and never echoes the secret', () => {
    expect(clusterKey(secret).length).toBe(32);
    const bad = Buffer.alloc(16, 1).toString('base64');
    expect(() => clusterKey(bad)).toThrow(/32 bytes/);
    try {
      clusterKey(bad);
    } catch (error) {
      expect(String(error)).not.toContain(bad);
    }
  });
});
