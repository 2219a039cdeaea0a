import { X509Certificate } from 'node:crypto';
import { createServer, connect, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCa, createCsrForKey, createKeyAndCsr, issueCertificate, signCsr } from './pki.js';

function handshake(
  server: { key: string; cert: string; ca: string },
  client: { key: string; cert: string; ca: string },
): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const tlsServer = createServer({ ...server, requestCert: true, rejectUnauthorized: true }, (socket) => socket.end('ok'));
    tlsServer.listen(0, '127.0.0.1', () => {
      const port = (tlsServer.address() as AddressInfo).port;
      const socket: TLSSocket = connect({ port, host: '127.0.0.1', servername: 'node-1', ...client }, () => {
        socket.once('data', () => {
          resolve({ authorized: socket.authorized });
          socket.end();
          tlsServer.close();
        });
      });
      const refused = (error?: Error) => {
        resolve({ authorized: false, error: error?.message ?? 'connection closed' });
        tlsServer.close();
      };
      socket.on('error', refused);
      socket.on('close', () => refused());
    });
  });
}

describe('agent API PKI', () => {
  it('signs a CSR made elsewhere; the signed pair passes mutual TLS', async () => {
    const ca = await createCa('spanwise test CA');
    const { keyPem, csrPem } = await createKeyAndCsr('node-1', { dns: ['node-1'], ip: ['127.0.0.1'] });
    const serverCert = await signCsr(ca, csrPem, { commonName: 'node-1', altNames: { dns: ['node-1'], ip: ['127.0.0.1'] }, use: 'server' });
    const parsed = new X509Certificate(serverCert);
    expect(parsed.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(parsed.subjectAltName).toContain('DNS:node-1');
    const client = await issueCertificate(ca, 'desktop', 'client');
    const result = await handshake({ key: keyPem, cert: serverCert, ca: ca.certPem }, { key: client.keyPem, cert: client.certPem, ca: ca.certPem });
    expect(result).toEqual({ authorized: true });
  });

  it('refuses a client certificate from another CA', async () => {
    const ca = await createCa('cluster A');
    const other = await createCa('cluster B');
    const server = await issueCertificate(ca, 'node-1', 'server', { dns: ['node-1'] });
    const stranger = await issueCertificate(other, 'intruder', 'client');
    const result = await handshake(
      { key: server.keyPem, cert: server.certPem, ca: ca.certPem },
      { key: stranger.keyPem, cert: stranger.certPem, ca: ca.certPem },
    );
    expect(result.authorized).toBe(false);
  });

  it('rejects a CSR that is not one', async () => {
    const ca = await createCa('cluster A');
    await expect(signCsr(ca, 'garbage', { commonName: 'x', use: 'server' })).rejects.toThrow(/not a valid PEM CSR/);
  });
});

describe('CSR for an existing key', () => {
  it('certifies the same public key again, so a re-run keeps the host key', async () => {
    const ca = await createCa('cluster A');
    const first = await createKeyAndCsr('node-1');
    const again = await createCsrForKey(first.keyPem, 'node-1', { ip: ['127.0.0.1'] });
    const a = new X509Certificate(await signCsr(ca, first.csrPem, { commonName: 'node-1', use: 'server' }));
    const b = new X509Certificate(await signCsr(ca, again, { commonName: 'node-1', use: 'server' }));
    expect(b.publicKey.export({ format: 'der', type: 'spki' }).equals(a.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
  });
});
