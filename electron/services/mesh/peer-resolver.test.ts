import { describe, expect, it } from 'vitest';
import { pairCodes } from '../../contract/mesh.js';
import type { AgentPeer } from '../agents/agent-view.js';
import { PeerResolver } from './peer-resolver.js';

const names = ['edge1', 'edge2', 'cloud1'];
const key = (c: string) => c.repeat(43) + '=';
const peer = (label: string, over: Partial<AgentPeer> = {}): AgentPeer => ({
  publicKey: key(label[label.length - 1] ?? 'x'),
  label,
  state: pairCodes.up,
  endpoint: null,
  lastHandshakeMs: 0,
  rx: 0,
  tx: 0,
  reason: null,
  rttMs: null,
  ...over,
});

describe('PeerResolver', () => {
  const resolver = new PeerResolver((name) => names.indexOf(name));

  it('turns a peer up through a relay into a relayed observation naming the relay machine, by hostname or its first part', () => {
    const [relayed, viaFqdn, direct] = resolver.observations(0, [
      peer('edge2', { via: 'cloud1', rttMs: 3 }),
      peer('cloud1.lab.example', { via: 'edge2.lab' }),
      peer('cloud1', { publicKey: key('z') }),
    ]);
    expect(relayed).toMatchObject({ to: 1, state: pairCodes.relayed, via: 'cloud1', rttMs: 3 });
    expect(viaFqdn).toMatchObject({ to: 2, state: pairCodes.relayed, via: 'edge2' });
    expect(direct).toMatchObject({ to: 2, state: pairCodes.up });
    expect(direct).not.toHaveProperty('via');
  });

  it('keeps a relayed peer that is down as down, and an unknown relay by its label', () => {
    const [down, stranger] = resolver.observations(0, [peer('edge2', { via: 'cloud1', state: pairCodes.down }), peer('cloud1', { via: 'relay9' })]);
    expect(down).toMatchObject({ to: 1, state: pairCodes.down, via: 'cloud1' });
    expect(stranger).toMatchObject({ to: 2, state: pairCodes.relayed, via: 'relay9' });
    expect(resolver.observations(0, [peer('edge1', { via: 'cloud1' })])).toEqual([]);
  });
});
