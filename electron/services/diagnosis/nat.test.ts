import { describe, expect, it } from 'vitest';
import type { NodeEvidence } from './evidence.js';
import { canHolePunch, classifyNat } from './nat.js';

function node(observed: string[], reflectedIp: string | null = null): NodeEvidence {
  return {
    name: 'n1',
    site: 'edge',
    addresses: ['192.168.1.5/24'],
    endpoints: [],
    reflectedIp,
    agent: { reachable: true, via: 'direct' },
    apiFromDesktop: [],
    firewall: null,
    nat: observed.map((o, i) => ({ observer: `obs${i}`, observed: o, sourcePort: 51820, via: 'probe' as const })),
    linkMtu: null,
    meshMtu: null,
    discovery: null,
    publicKey: null,
    meshAddress: null,
    peers: [],
    warnings: [],
    host: null,
  };
}

describe('classifyNat', () => {
  it('sees no NAT when observers see the own address', () => {
    expect(classifyNat(node(['192.168.1.5:51820', '192.168.1.5:51820']))).toMatchObject({ kind: 'none', behindNat: false });
  });
  it('tells a port-preserving NAT from a port-changing and a randomising one', () => {
    expect(classifyNat(node(['203.0.113.7:51820', '203.0.113.7:51820']))).toMatchObject({ kind: 'port-preserving', behindNat: true, publicIp: '203.0.113.7' });
    expect(classifyNat(node(['203.0.113.7:40000', '203.0.113.7:40000'])).kind).toBe('port-changing');
    expect(classifyNat(node(['203.0.113.7:40000', '203.0.113.7:40007'])).kind).toBe('random');
  });
  it('uses the discovery reflection alone to say "behind NAT" without a port verdict', () => {
    expect(classifyNat(node([], '203.0.113.7'))).toMatchObject({ kind: 'unknown', behindNat: true });
    expect(classifyNat(node([]))).toMatchObject({ kind: 'unknown', behindNat: null });
  });
  it('allows hole punching only when both ends keep the port', () => {
    const keep = classifyNat(node(['203.0.113.7:51820', '203.0.113.7:51820']));
    const random = classifyNat(node(['203.0.113.7:40000', '203.0.113.7:40007']));
    expect(canHolePunch(keep, keep)).toBe(true);
    expect(canHolePunch(keep, random)).toBe(false);
  });
});
