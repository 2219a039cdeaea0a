import type { ApiTls } from '../../../agent/api/server.js';
import { createCa, issueDesktopCertificate, signNodeCsr, type KeyPairPem } from '../../../agent/shared/pki.js';
import { labExec } from '../exec.js';
import { HOST_AGENT } from './bundle.js';

/** Where a host keeps the agent API's TLS files. */
export const HOST_TLS = { ca: '/etc/spanwise/ca.pem', cert: '/etc/spanwise/api.pem', key: '/etc/spanwise/api.key' } as const;

/** The cluster CA and the desktop's client certificate for the agent API. */
export interface MeshPki {
  ca: KeyPairPem;
  /** What the harness presents to agents (root namespace). */
  client: ApiTls;
}

/** Makes a cluster CA and a desktop (role) client certificate signed by it. */
export async function createMeshPki(): Promise<MeshPki> {
  const ca = await createCa('spanwise lab cluster CA');
  const client = await issueDesktopCertificate(ca, 'spanwise lab desktop');
  return { ca, client: { ca: Buffer.from(ca.certPem), cert: Buffer.from(client.certPem), key: Buffer.from(client.keyPem) } };
}

/**
 * The onboarding flow for one host: the agent makes its API key on the host (`tls csr`), the CA
 * signs the request, the certificate and the CA go next to the key.
 */
export async function installApiCertificate(host: string, address: string, pki: MeshPki): Promise<void> {
  const { stdout: csr } = await labExec(host, ['node', HOST_AGENT, 'tls', 'csr', '--key', HOST_TLS.key, '--name', host, '--ip', address]);
  const cert = await signNodeCsr(pki.ca, csr, host, { dns: [host], ip: [address] });
  await labExec(host, `mkdir -p /etc/spanwise && cat > ${HOST_TLS.cert}`, { input: cert });
  await labExec(host, `cat > ${HOST_TLS.ca}`, { input: pki.ca.certPem });
}
