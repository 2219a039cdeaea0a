import { afterAll, describe, expect, it } from 'vitest';
import { upLab } from './builder.js';
import { downLab } from './cleanup.js';
import { labExec } from './exec.js';
import { probe } from './probe.js';
import { findHost } from './status.js';

// What a NAT does to source addresses and ports, seen by the receiving host.
describe('NAT', () => {
  afterAll(async () => {
    await downLab();
  });

  it('hybrid: datacenter and edge traffic leaves as the gateway WAN address, source port kept', async () => {
    const lab = await upLab('hybrid', { fresh: true });
    const edgeGw = findHost(lab, 'edge-gw').publicAddress;
    const dcGw = findHost(lab, 'dc-gw').publicAddress;

    const fromEdge = await probe(lab, 'edge1', 'cloud1', 'udp', 51820, { sourcePort: 51820 });
    expect(fromEdge.seenFrom).toEqual({ address: edgeGw, port: 51820 });
    const fromDc = await probe(lab, 'dc1', 'cloud2', 'udp', 51820, { sourcePort: 51820 });
    expect(fromDc.seenFrom).toEqual({ address: dcGw, port: 51820 });
    const tcp = await probe(lab, 'edge1', 'cloud2', 'tcp', 50000);
    expect(tcp.seenFrom?.address).toBe(edgeGw);
    // Inside a site nothing is rewritten.
    const lan = await probe(lab, 'dc-gw', 'dc1', 'tcp', 50000);
    expect(lan.seenFrom?.address).toBe('198.19.2.1');
    // The gateway's conntrack table holds the rewrite.
    const ct = await labExec('edge-gw', ['conntrack', '-L', '-p', 'udp', '--orig-port-dst', '51820']);
    expect(ct.stdout).toMatch(/src=198\.19\.3\.10 dst=198\.18\.1\.10 sport=51820 dport=51820 .*src=198\.18\.1\.10 dst=198\.18\.3\.1 sport=51820 dport=51820/);
  });

  it('hybrid: an outbound flow from the edge host opens the way back (hole punching works)', async () => {
    const lab = await upLab('hybrid');
    const cold = await probe(lab, 'cloud1', 'edge1', 'udp', 51820, { sourcePort: 51821 });
    expect(cold.reachable).toBe(false);
    await probe(lab, 'edge1', 'cloud1', 'udp', 51820, { sourcePort: 51820 });
    const back = await probe(lab, 'cloud1', 'edge1', 'udp', 51820, { sourcePort: 51820 });
    expect(back).toEqual({ reachable: true, seenFrom: { address: findHost(lab, 'cloud1').publicAddress, port: 51820 } });
  });

  it('hard-nat: source ports are randomised, so the way back is closed', async () => {
    const lab = await upLab('hard-nat', { fresh: true });
    const homeGw = findHost(lab, 'home-gw').publicAddress;
    const out = await probe(lab, 'edge1', 'cloud1', 'udp', 51820, { sourcePort: 51820 });
    expect(out.seenFrom?.address).toBe(homeGw);
    expect(out.seenFrom?.port).not.toBe(51820);
    // cloud1 answers the port a peer would advertise (51820): nothing arrives.
    const back = await probe(lab, 'cloud1', 'edge1', 'udp', 51820, { sourcePort: 51820 });
    expect(back.reachable).toBe(false);
    // Two edge hosts behind random NATs cannot punch through to each other.
    await probe(lab, 'edge2', 'edge1', 'udp', 51820, { sourcePort: 51820 });
    const punch = await probe(lab, 'edge1', 'edge2', 'udp', 51820, { sourcePort: 51820 });
    expect(punch.reachable).toBe(false);
  });
});
