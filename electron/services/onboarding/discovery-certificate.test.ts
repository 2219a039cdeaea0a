import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { machineIdentityRefusal } from '../../../agent/shared/cert-roles.js';
import { createCa, createKeyAndCsr, issueNodeCertificate, signDiscoveryCsr } from '../../../agent/shared/pki.js';
import { discoveryCertificateRenewal } from './discovery-certificate.js';
import { nodeHostNames } from './node-certificate.js';

describe('the discovery certificate: what it is signed for, and when it is signed again', () => {
  it('is for server use only, with the discovery role and the address agents dial, and never passes for the node agent', async () => {
    const ca = await createCa('cluster CA');
    const { csrPem } = await createKeyAndCsr('asks-anything', { dns: ['other'] });
    const pem = await signDiscoveryCsr(ca, csrPem, 'cloud1', nodeHostNames('cloud1', '203.0.113.7'));
    const cert = new X509Certificate(pem);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.subjectAltName).toBe('DNS:cloud1, IP Address:203.0.113.7, IP Address:127.0.0.1, URI:spanwise:role:discovery');
    expect(machineIdentityRefusal({ subjectaltname: cert.subjectAltName, ext_key_usage: cert.keyUsage }, 'cloud1')).toBe('it is not a node certificate');
    expect(discoveryCertificateRenewal(pem, ca.certPem, '203.0.113.7')).toBeUndefined();
  });

  it('is signed again for another CA, another address, a node certificate in its place, or none', async () => {
    const ca = await createCa('cluster CA');
    const { csrPem } = await createKeyAndCsr('x');
    const pem = await signDiscoveryCsr(ca, csrPem, 'cloud1', nodeHostNames('cloud1', '203.0.113.7'));
    expect(discoveryCertificateRenewal(pem, (await createCa('other')).certPem, '203.0.113.7')).toBe('signed by another CA');
    expect(discoveryCertificateRenewal(pem, ca.certPem, '203.0.113.8')).toBe('does not name 203.0.113.8');
    const node = await issueNodeCertificate(ca, 'cloud1', { ip: ['203.0.113.7'] });
    expect(discoveryCertificateRenewal(node.certPem, ca.certPem, '203.0.113.7')).toBe('no discovery role');
    expect(discoveryCertificateRenewal('', ca.certPem, '203.0.113.7')).toBe('no readable certificate');
    expect(discoveryCertificateRenewal(pem, ca.certPem, '203.0.113.7', Date.now() + 800 * 24 * 3600 * 1000)).toBe('expires within 30 days');
  });
});
