/**
 * Who a certificate of a cluster CA is, read from names the CA put in it. The
 * desktop signs every certificate and chooses its names, so a name here is as
 * good as the CA: a host cannot ask for another's.
 *
 * - The desktop's client certificate carries the URI SAN `spanwise:role:desktop`
 *   and the extended key usage clientAuth only.
 * - A node's certificate carries `spanwise:role:node` and `spanwise:node:<name>`
 *   (its machine name) and serverAuth only: agents never call each other, so a
 *   node certificate is no client of anything.
 * - The certificate of the discovery service a node hosts carries
 *   `spanwise:role:discovery` and serverAuth only, with its own key: it names no
 *   node role, so it cannot pose as that node's agent.
 *
 * Light on purpose (no X.509 library): the agent checks every call with it.
 */

/** What a certificate of the cluster CA is for. */
export type CertificateRole = 'desktop' | 'node' | 'discovery';

/** The URI SAN that marks each role. */
export const ROLE_URI: Readonly<Record<CertificateRole, string>> = {
  desktop: 'spanwise:role:desktop',
  node: 'spanwise:role:node',
  discovery: 'spanwise:role:discovery',
};

const NODE_NAME_PREFIX = 'spanwise:node:';

/** The URI SAN that names a node's machine (its name in the inventory, unique in a cluster). */
export function nodeNameUri(machine: string): string {
  return `${NODE_NAME_PREFIX}${encodeURIComponent(machine)}`;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The extended key usage OIDs a TLS peer certificate can carry. */
export const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

/** The parts of a certificate the checks read: Node's `PeerCertificate` has them all. */
export interface CertificateNames {
  /** Node's text form: `DNS:a, IP Address:192.0.2.1, URI:spanwise:role:node`. */
  subjectaltname?: string;
  subject?: { CN?: string | string[] };
  /** Extended key usage OIDs, when the certificate lists them. */
  ext_key_usage?: string[];
}

/** The URI SANs of a certificate. Node quotes any entry that holds a separator, so a split cannot be fooled. */
export function uriNames(cert: CertificateNames): string[] {
  return (cert.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice(4));
}

/** Whether the certificate carries `role`. */
export function hasRole(cert: CertificateNames, role: CertificateRole): boolean {
  return uriNames(cert).includes(ROLE_URI[role]);
}

/**
 * Why the certificate an agent presented does not name `machine`, or undefined when it does.
 * A node certificate names its machine with `spanwise:node:<name>`. One signed before roles
 * existed (no spanwise URI at all, and signed for client and server use, as all of them were)
 * names it by its common name, which the signer always set to the machine name; `node onboard`
 * re-signs those. Any other certificate without a role names no machine.
 */
export function machineIdentityRefusal(cert: CertificateNames, machine: string): string | undefined {
  const uris = uriNames(cert);
  const ours = uris.filter((u) => u.startsWith('spanwise:'));
  if (cert.ext_key_usage && !cert.ext_key_usage.includes(EKU.serverAuth)) return 'it is not a server certificate';
  if (ours.length === 0) {
    if (!cert.ext_key_usage?.includes(EKU.clientAuth)) return 'it carries no node role';
    const cn = cert.subject?.CN;
    return cn === machine ? undefined : `it names ${typeof cn === 'string' ? JSON.stringify(cn) : 'no machine'}, not ${JSON.stringify(machine)}`;
  }
  if (!ours.includes(ROLE_URI.node)) return 'it is not a node certificate';
  if (ours.includes(nodeNameUri(machine))) return undefined;
  const named = ours.filter((u) => u.startsWith(NODE_NAME_PREFIX)).map((u) => decoded(u.slice(NODE_NAME_PREFIX.length)));
  return `it names ${named.length ? named.map((n) => JSON.stringify(n)).join(', ') : 'no machine'}, not ${JSON.stringify(machine)}`;
}
