import { describe, expect, it } from 'vitest';
import { shortAddress } from './Address.js';

describe('shortened addresses', () => {
  it('keeps short ones, cuts long IPv6 addresses and endpoints in the middle, keeps the port', () => {
    expect(shortAddress('198.18.2.1:51820')).toBe('198.18.2.1:51820');
    expect(shortAddress('fd7a:115c:a1e0:ab12:cd34:ef56:7890:1')).toBe('fd7a:115c:…:1');
    expect(shortAddress('[2001:db8:1234:5678:9abc:def0:1234:5678]:51820')).toBe('[2001:db8:…:5678]:51820');
    expect(shortAddress('k1Wq9b2cQ0p3s7yZaB4dE6fH8jL0nR2tV5xY7z9A1c=')).toBe('k1Wq9b2cQ0…Y7z9A1c=');
  });
});
