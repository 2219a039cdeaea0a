import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { machineIdentityRefusal } from '../../../agent/shared/cert-roles.js';
import { createCa, createKeyAndCsr, issueDesktopCertificate, issueNodeCertificate } from '../../../agent/shared/pki.js';
import { legacyNodeCertificate } from '../../../test/support/agent-certificates.js';
import { nodeCertificateRenewal, signMachineCsr } from './node-certificate.js';

const peerView = (pem: string) => {
  const cert = new X509Certificate(pem);
  return { subjectaltname: cert.subjectAltName, ext_key_usage: cert.keyUsage, subject: { CN: /CN=([^\n]+)/.exec(cert.subject)?.[1] } };
};

describe('the onboarding certificate step: what it signs, and when it signs again', () => {
  it('signs a node certificate for server use only, naming the machine and carrying the node role', async () => {
    const ca = await createCa('cluster CA');
    const { csrPem } = await createKeyAndCsr('whatever-the-host-asks', { dns: ['node-b'] });
    const cert = await signMachineCsr(ca, csrPem, 'node-a', '203.0.113.7');
    const parsed = new X509Certificate(cert);
    expect(parsed.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(parsed.subjectAltName).toBe('DNS:node-a, IP Address:203.0.113.7, IP Address:127.0.0.1, URI:spanwise:role:node, URI:spanwise:node:node-a');
    expect(machineIdentityRefusal(peerView(cert), 'node-a')).toBeUndefined();
    expect(nodeCertificateRenewal(cert, ca.certPem, 'node-a')).toBeUndefined();
  });

  it('signs again a certificate from before roles (client use too, no role), one for another machine, another CA, or expiring', async () => {
    const ca = await createCa('cluster CA');
    expect(nodeCertificateRenewal((await legacyNodeCertificate(ca, 'node-a')).certPem, ca.certPem, 'node-a')).toMatch(/client use too/);
    expect(nodeCertificateRenewal((await issueNodeCertificate(ca, 'node-b')).certPem, ca.certPem, 'node-a')).toMatch(
      /does not name this machine: it names "node-b"/,
    );
    expect(nodeCertificateRenewal((await issueDesktopCertificate(ca)).certPem, ca.certPem, 'node-a')).toMatch(/client use/);
    expect(nodeCertificateRenewal((await issueNodeCertificate(await createCa('old CA'), 'node-a')).certPem, ca.certPem, 'node-a')).toBe('signed by another CA');
    const current = (await issueNodeCertificate(ca, 'node-a')).certPem;
    expect(nodeCertificateRenewal(current, ca.certPem, 'node-a', Date.now() + 800 * 24 * 3600 * 1000)).toBe('expires within 30 days');
    expect(nodeCertificateRenewal('', ca.certPem, 'node-a')).toBe('no readable certificate');
  });
});
