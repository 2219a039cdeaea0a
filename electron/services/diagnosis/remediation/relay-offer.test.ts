import { describe, expect, it } from 'vitest';
import { hardNatEvidence, hybridEvidence } from '../../../../test/support/diagnosis-fixtures/lab-scenarios.js';
import { DiagnosisContext } from '../context.js';
import { diagnose } from '../diagnose.js';
import { relayOffer } from './relay-offer.js';

describe('the relay diagnosis offers', () => {
  it('offers cloud1 for the hard-nat edge pair, next to the gateway change request', () => {
    const pair = diagnose(hardNatEvidence()).find((f) => f.id === 'PAIR_NO_INBOUND_END:edge1:edge2');
    expect(pair?.remediation.changeRequest).toContain('Change request');
    expect(pair?.remediation.relay).toEqual({ between: ['edge1', 'edge2'], via: 'cloud1', summary: expect.stringContaining('relay the pair through cloud1') });
  });

  it('prefers cloud to datacenter and says why there is none when no third node is reached by both', () => {
    const hybrid = new DiagnosisContext(hybridEvidence('down'));
    const offer = relayOffer(hybrid, 'dc1', 'edge1');
    expect(offer).toEqual({ offer: expect.objectContaining({ via: expect.stringMatching(/^cloud/) }) });
    const alone = new DiagnosisContext({ ...hardNatEvidence(), nodes: hardNatEvidence().nodes.filter((n) => n.name !== 'cloud1') });
    expect(relayOffer(alone, 'edge1', 'edge2')).toEqual({ refusal: 'no relay: no other Spanwise node accepts UDP 51820 from both edge1 and edge2' });
  });

  it('never relays a pair with a member Spanwise does not manage', () => {
    const evidence = hardNatEvidence();
    const ctx = new DiagnosisContext({ ...evidence, nodes: evidence.nodes.map((n) => (n.name === 'edge2' ? { ...n, managed: false as const } : n)) });
    expect(relayOffer(ctx, 'edge1', 'edge2')).toEqual({
      refusal: expect.stringContaining('edge2 is not managed by Spanwise, and Talos KubeSpan drops relayed packets'),
    });
  });
});
