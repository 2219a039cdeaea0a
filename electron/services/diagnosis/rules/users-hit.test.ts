import { describe, expect, it } from 'vitest';
import { diagnose } from '../diagnose.js';
import type { Evidence, NodeEvidence } from '../evidence.js';
import { hostFacts, keyOf } from '../../../../test/support/diagnosis-fixtures/builders.js';
import { allOpenEvidence, hybridEvidence } from '../../../../test/support/diagnosis-fixtures/lab-scenarios.js';

function edit(e: Evidence, name: string, change: (n: NodeEvidence) => void): Evidence {
  change(e.nodes.find((n) => n.name === name) as NodeEvidence);
  return e;
}
const codes = (e: Evidence) => diagnose(e).map((f) => f.id);

describe('two members with the same mesh address (cloned machines)', () => {
  it('is an error naming both nodes and their keys', () => {
    const e = allOpenEvidence();
    for (const n of e.nodes) if (n.name !== 'cloud1') n.meshAddress = 'fdc0:ffee::2:53ff:fe57:101';
    const f = diagnose(e).find((x) => x.code === 'DUPLICATE_MESH_ADDRESS');
    expect(f).toMatchObject({ id: 'DUPLICATE_MESH_ADDRESS:cloud2:cloud3', severity: 'error', nodes: ['cloud2', 'cloud3'] });
    expect(f?.evidence[0]).toContain('cloud2 and cloud3 all claim mesh address fdc0:ffee::2:53ff:fe57:101');
    expect(f?.remediation.summary).toContain('new MAC address');
  });

  it('is silent when every address differs (written differently but equal addresses count as one)', () => {
    expect(codes(allOpenEvidence())).not.toContain('DUPLICATE_MESH_ADDRESS:cloud2:cloud3');
    const e = allOpenEvidence();
    edit(e, 'cloud1', (n) => (n.meshAddress = 'fdc0:ffee:0:0::9'));
    edit(e, 'cloud2', (n) => (n.meshAddress = 'fdc0:ffee::9'));
    expect(codes(e)).toContain('DUPLICATE_MESH_ADDRESS:cloud1:cloud2');
  });
});

describe('a peer whose key changed while an old affiliate lingers', () => {
  const stale = (state: 'down' | 'up') =>
    edit(allOpenEvidence(), 'cloud1', (n) => {
      n.peers = [
        { publicKey: keyOf('cloud2'), label: 'cloud2', state: 'up', endpoint: '198.18.1.11:51820' },
        { publicKey: keyOf('cloud2-old'), label: 'cloud2', state, endpoint: '198.18.1.11:51820' },
      ];
    });

  it('warns on the node whose key changed, quoting both keys', () => {
    const f = diagnose(stale('down')).find((x) => x.code === 'STALE_PEER_KEY');
    expect(f).toMatchObject({ id: 'STALE_PEER_KEY:cloud2', severity: 'warning' });
    expect(f?.evidence.join('\n')).toContain(`cloud1 still has a peer labelled cloud2 with the old key ${keyOf('cloud2-old')} (down`);
    expect(f?.evidence[0]).toBe(`cloud2's key is now ${keyOf('cloud2')}`);
  });

  it('says nothing when that member is up (a live machine of the same name) or is the current key', () => {
    expect(codes(stale('up'))).not.toContain('STALE_PEER_KEY:cloud2');
    expect(codes(allOpenEvidence())).not.toContain('STALE_PEER_KEY:cloud2');
  });
});

describe('clock skew large enough to break handshakes', () => {
  const skewed = (ms: number) => edit(allOpenEvidence(), 'cloud3', (n) => (n.host = hostFacts({ clockOffsetMs: ms })));

  it('is an error past the 60 s certificates are back-dated, a warning past 30 s, nothing below', () => {
    const behind = diagnose(skewed(-300_000)).find((f) => f.code === 'CLOCK_SKEW');
    expect(behind).toMatchObject({ id: 'CLOCK_SKEW:cloud3', severity: 'error' });
    expect(behind?.evidence.join('\n')).toContain("cloud3's clock is 300 s behind the desktop's");
    expect(behind?.evidence.join('\n')).toContain('a certificate signed in the last 240 s is not yet valid');
    expect(
      diagnose(skewed(120_000))
        .find((f) => f.code === 'CLOCK_SKEW')
        ?.evidence.join('\n'),
    ).toContain('WireGuard drops its handshakes');
    expect(diagnose(skewed(45_000)).find((f) => f.code === 'CLOCK_SKEW')?.severity).toBe('warning');
    expect(codes(skewed(-10_000))).not.toContain('CLOCK_SKEW:cloud3');
  });
});

describe('strict reverse-path filtering', () => {
  const rp = (rpFilter: Record<string, number>) => edit(allOpenEvidence(), 'cloud2', (n) => (n.host = hostFacts({ rpFilter })));

  it('warns when all or the mesh link is strict (the larger value counts)', () => {
    const f = diagnose(rp({ all: 1, default: 1, kubespan: 0 })).find((x) => x.code === 'RP_FILTER_STRICT');
    expect(f).toMatchObject({ id: 'RP_FILTER_STRICT:cloud2', severity: 'warning' });
    expect(f?.evidence[0]).toContain('net.ipv4.conf.all.rp_filter=1');
    expect(f?.remediation.summary).toContain('sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.kubespan.rp_filter=2');
    expect(codes(rp({ all: 0, kubespan: 1 }))).toContain('RP_FILTER_STRICT:cloud2');
  });

  it('is silent for loose (2) or off, and on a host without the mesh link', () => {
    expect(codes(rp({ all: 2, kubespan: 1 }))).not.toContain('RP_FILTER_STRICT:cloud2');
    expect(codes(rp({ all: 0, kubespan: 0 }))).not.toContain('RP_FILTER_STRICT:cloud2');
    const noMesh = edit(allOpenEvidence(), 'cloud2', (n) => (n.host = hostFacts({ rpFilter: { all: 1 }, meshLink: null })));
    expect(codes(noMesh)).not.toContain('RP_FILTER_STRICT:cloud2');
  });
});

describe('a node advertising only private endpoints with no reflected public address', () => {
  const privateOnly = (reflectedIp: string | null) =>
    edit(hybridEvidence('up'), 'dc1', (n) => {
      n.addresses = ['10.2.0.10/24'];
      n.endpoints = ['10.2.0.10:51820'];
      n.reflectedIp = reflectedIp;
      n.nat = [];
    });

  it('warns, naming the peers outside its network', () => {
    const f = diagnose(privateOnly(null)).find((x) => x.code === 'ENDPOINTS_PRIVATE_ONLY');
    expect(f).toMatchObject({ id: 'ENDPOINTS_PRIVATE_ONLY:dc1', severity: 'warning', port: 51820 });
    expect(f?.evidence).toContain('dc1 advertises only private endpoints: 10.2.0.10:51820');
    expect(f?.evidence.join('\n')).toContain('so cloud1, cloud2, edge1, outside its network, have no address to dial it at');
  });

  it('is silent once discovery reflects a public address, or when the endpoints are public', () => {
    expect(codes(privateOnly('198.18.2.1'))).not.toContain('ENDPOINTS_PRIVATE_ONLY:dc1');
    expect(codes(hybridEvidence('up')).filter((id) => id.startsWith('ENDPOINTS_PRIVATE_ONLY'))).toEqual([]);
  });
});
