import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { DiscoveryPlacement } from '../../contract/clusters.js';
import type { EmbeddedDiscoveryTarget } from '../discovery/node-address.js';
import type { MachineRow } from '../store/machines.js';

/** Where the agents of a cluster find discovery, and which machine (if any) runs it. */
export interface ResolvedDiscovery {
  /** The URL the agents use; for embedded discovery, this desktop's own view ("http://127.0.0.1:PORT"). */
  url: string;
  node: string | null;
  port: number;
  /** Served on a node with TLS and a certificate of the cluster CA (`url` is https://): clients verify it against that CA. */
  tls: boolean;
  /** Set for embedded discovery: each node's URL is found during its onboarding. */
  embedded: EmbeddedDiscoveryTarget | null;
}

function urlFrom(text: string): string {
  if (/^https?:\/\//.test(text)) return text.replace(/\/+$/, '');
  const port = /:(\d+)$/.exec(text)?.[1];
  return port === '443' || !port ? `https://${text.replace(/:443$/, '')}` : `http://${text}`;
}

/**
 * Resolves the placement: an external URL as given; on a node, the chosen one
 * or else the first cloud machine (cloud nodes have addresses every site can reach),
 * over TLS with a certificate of the cluster CA unless `tls: false` (plain h2c, for a LAN);
 * embedded, this desktop (the backend must be serving it, see EmbeddedDiscovery).
 */
export function resolveDiscovery(placement: DiscoveryPlacement, machines: MachineRow[]): ResolvedDiscovery {
  if (placement.mode === 'url') return { url: urlFrom(placement.url), node: null, port: 0, tls: false, embedded: null };
  if (placement.mode === 'embedded') {
    const localEndpoint = `127.0.0.1:${placement.port}`;
    return {
      url: `http://${localEndpoint}`,
      node: null,
      port: placement.port,
      tls: false,
      embedded: { port: placement.port, address: placement.address ?? null, localEndpoint },
    };
  }
  const node = placement.node ? machines.find((m) => m.name === placement.node) : machines.find((m) => m.site === 'cloud');
  if (!node) {
    throw new SpanwiseError(
      'NO_DISCOVERY_NODE',
      placement.node
        ? `discovery is placed on '${placement.node}', which is not in the cluster`
        : 'discovery runs on the first cloud node, and the cluster has none',
      'add a cloud machine, or create the cluster with --discovery-on NODE or --discovery-url URL',
    );
  }
  const host = node.ssh.host.includes(':') ? `[${node.ssh.host}]` : node.ssh.host;
  const tls = placement.tls !== false;
  return { url: `${tls ? 'https' : 'http'}://${host}:${placement.port}`, node: node.name, port: placement.port, tls, embedded: null };
}
