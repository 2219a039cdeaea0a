import type { AgentConfig } from '../config/schema.js';
import { parseHostPort } from '../discovery/server/host-port.js';
import { IdentityKind } from '../resources/kinds.js';
import type { ResourceStore } from '../resources/store.js';
import { SpanwiseError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { agentMetrics } from './agent-metrics.js';
import { serveMetrics, type MetricsServer } from './server.js';

/** The host in `metrics.listen` that stands for this node's KubeSpan address. */
export const MESH_HOST = 'mesh';
const RETRY_MS = 2000;

/** The agent's metrics endpoint while it runs. */
export interface AgentMetricsEndpoint {
  /** The bound port once serving (for tests with port 0). */
  port(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Serves the agent's metrics on `config.metrics.listen`. A fixed address must bind now (a clear
 * error otherwise); `mesh:PORT` binds to the node's KubeSpan address as soon as the identity and
 * the link carry it, retrying while the address is not there yet.
 */
export async function startAgentMetrics(config: AgentConfig['metrics'], store: ResourceStore, log: Logger, linkName: string): Promise<AgentMetricsEndpoint> {
  const listen = parseHostPort(config.listen, 'metrics.listen');
  const metrics = agentMetrics(store, { interface: linkName });
  let server: MetricsServer | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const fail = (error: unknown) =>
    new SpanwiseError(
      'METRICS_LISTEN_FAILED',
      `metrics.listen ${config.listen}: cannot serve metrics: ${error instanceof Error ? error.message : String(error)}`,
      'free the port, change metrics.listen, or set metrics.enabled: false',
    );
  if (listen.host !== MESH_HOST) {
    try {
      server = await serveMetrics(metrics.registry, listen.host, listen.port);
    } catch (error) {
      metrics.close();
      throw fail(error);
    }
  } else {
    const attempt = async () => {
      timer = undefined;
      const address = store.get(IdentityKind, 'local')?.spec.address;
      try {
        if (address) server = await serveMetrics(metrics.registry, address, listen.port);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRNOTAVAIL') log.warn('metrics not served', { listen: config.listen, error: fail(error).message });
      }
      if (stopped && server) await server.close();
      else if (server) log.info('metrics served', { address: `[${address}]:${server.port}` });
      else if (!stopped) timer = setTimeout(() => void attempt(), RETRY_MS).unref();
    };
    await attempt();
  }
  return {
    port: () => server?.port,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      metrics.close();
      await server?.close();
    },
  };
}
