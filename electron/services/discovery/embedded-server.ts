import { createServer } from 'node:net';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { startDiscoveryServer, type DiscoveryServer, type Logger } from '../../../agent/discovery/server/index.js';

/** How often the embedded server writes its snapshot (the upstream default is 60 s; a desktop may quit any time). */
export const SNAPSHOT_INTERVAL_MS = 15_000;

/** The error when another program holds the port: names the port and the fix. */
export function portInUse(port: number, cluster: string): SpanwiseError {
  return new SpanwiseError(
    'DISCOVERY_PORT_IN_USE',
    `TCP port ${port} is already in use on this machine, so this app cannot serve discovery for cluster '${cluster}'`,
    `close the program listening on TCP ${port} (find it with 'ss -ltnp sport = :${port}', 'lsof -i :${port}' or 'netstat -ano'), then select the cluster again; or create the cluster with another discovery port`,
  );
}

function failure(port: number, cluster: string, message: string): SpanwiseError {
  if (/EADDRINUSE/.test(message)) return portInUse(port, cluster);
  if (/EACCES/.test(message)) {
    return new SpanwiseError(
      'DISCOVERY_PORT_DENIED',
      `this app may not listen on TCP port ${port} (ports below 1024 need privileges)`,
      'create the cluster with a discovery port of 1024 or above, such as 3000',
    );
  }
  return new SpanwiseError(
    'DISCOVERY_START_FAILED',
    `the discovery service for cluster '${cluster}' did not start on TCP ${port}: ${message}`,
    'check the port and the data dir, then select the cluster again',
  );
}

/** Which wildcard address takes the port here: "::" (both families) or, without IPv6, "0.0.0.0". Throws when neither does. */
async function wildcardFor(port: number, cluster: string): Promise<string> {
  let last = '';
  for (const host of ['::', '0.0.0.0']) {
    const outcome = await new Promise<string | null>((resolve) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
    });
    if (outcome === null) return host;
    last = outcome;
    if (!/EAFNOSUPPORT|EADDRNOTAVAIL|EPROTONOSUPPORT/.test(outcome)) break;
  }
  throw failure(port, cluster, last);
}

/**
 * Starts the project's discovery server for the nodes: plain gRPC (h2c), as for the
 * `node` placement (payloads are sealed with the cluster secret; the server has no
 * secret to protect), on every interface (IPv6 and IPv4; IPv4 only where the desktop
 * has no IPv6), with the upstream limits and the per-address rate limit, and its
 * snapshot in `stateFile`. The port is tried first with a plain listener, so a port in
 * use gives this app's error and not the gRPC library's log line.
 */
export async function serveEmbedded(port: number, cluster: string, stateFile: string, logger: Logger): Promise<DiscoveryServer> {
  const host = await wildcardFor(port, cluster);
  try {
    return await startDiscoveryServer({
      listen: host === '::' ? `[::]:${port}` : `${host}:${port}`,
      stateFile,
      snapshotIntervalMs: SNAPSHOT_INTERVAL_MS,
      logger,
    });
  } catch (error) {
    throw failure(port, cluster, (error as Error).message);
  }
}
