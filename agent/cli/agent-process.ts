import { chmod, mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startApiServer, readApiTls, type ApiServer } from '../api/server.js';
import type { AgentConfig } from '../config/schema.js';
import { createAgent, type Agent } from '../controllers/agent.js';
import type { DiscoveryConnector } from '../controllers/discovery.js';
import { DiscoveryClient } from '../discovery/client/index.js';
import { parseHostPort } from '../discovery/server/host-port.js';
import { systemClock } from '../shared/clock.js';
import { SpanwiseError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { tcpRtt } from '../lib/tcp-rtt.js';
import type { AgentMetricsEndpoint } from '../metrics/agent-endpoint.js';
import { ExecRunner, type CommandRunner } from '../system/command.js';
import { checkClock, checkMeshPort } from '../system/host-checks.js';
import { readHostNetwork } from '../system/host-network.js';
import { loadOrCreateIdentity, loadOrCreateNodeId, saveIdentity } from '../system/identity-files.js';
import { DryRunBackend } from '../wireguard/dry-run-backend.js';
import { KernelLink, kernelHasWireGuard } from '../wireguard/kernel-link.js';
import { LinuxBackend } from '../wireguard/linux-backend.js';
import { KUBESPAN, type WireGuardBackend } from '../wireguard/types.js';
import { UserspaceLink } from '../wireguard/userspace-link.js';

/**
 * Opens discovery connections with the shared typed client: plaintext for http://, TLS for
 * https:// checked against the system roots, or against `clusterCa` (PEM) for targets marked so.
 */
export function grpcDiscovery(clusterCa?: Buffer): DiscoveryConnector {
  return (target) => {
    if (target.clusterCa && !clusterCa)
      throw new SpanwiseError(
        'DISCOVERY_CA_MISSING',
        `discovery ${target.endpoint} is verified against the cluster CA, which is not loaded`,
        'set discovery.clusterCa.file in the agent config',
      );
    return new DiscoveryClient({ endpoint: target.endpoint, insecure: target.insecure, ...(target.clusterCa ? { ca: clusterCa } : {}) });
  };
}

/** Reads the cluster CA that the cluster's own discovery is verified against (config `discovery.clusterCa`), when set. */
export async function readDiscoveryCa(config: AgentConfig): Promise<Buffer | undefined> {
  const file = config.discovery.clusterCa?.file;
  if (!file) return undefined;
  try {
    return await readFile(file);
  } catch (error) {
    throw new SpanwiseError(
      'DISCOVERY_CA_UNREADABLE',
      `discovery.clusterCa.file ${file}: ${(error as Error).message}`,
      're-run onboarding to install the cluster CA, or fix the path',
    );
  }
}

/** Picks the WireGuard backend: kernel when asked or available, else a supervised wireguard-go. */
export async function selectBackend(config: AgentConfig, runner: CommandRunner, log: Logger, dryRun: boolean): Promise<WireGuardBackend> {
  if (dryRun) return new DryRunBackend({ clock: systemClock });
  const kernel = config.wireguard.backend === 'kernel' || (config.wireguard.backend === 'auto' && (await kernelHasWireGuard(runner)));
  const link = kernel ? new KernelLink(runner) : new UserspaceLink(runner, log);
  log.info('wireguard backend', { backend: link.name });
  return new LinuxBackend({ runner, link, clock: systemClock, keyDir: config.runtimeDir });
}

/** A running agent process: its controllers, API and how to stop them. */
export interface RunningAgent {
  agent: Agent;
  /** The metrics endpoint, unless `metrics.enabled` is false. */
  metrics: AgentMetricsEndpoint | undefined;
  stop(): Promise<void>;
}

/** The port peers' agent APIs listen on, taken to be this node's own (50000 unless changed cluster-wide). */
function apiPort(config: AgentConfig): number {
  return config.api ? parseHostPort(config.api.listen, 'api.listen').port : 50000;
}

/** Starts everything `spanwise-agent run` runs. The config must already be validated. */
export async function startAgentProcess(
  config: AgentConfig,
  log: Logger,
  options: { dryRun?: boolean; connector?: DiscoveryConnector } = {},
): Promise<RunningAgent> {
  // Everything that can fail on a bad config or missing file comes before anything touches the host.
  const apiTls = config.api ? await readApiTls(config.api) : undefined;
  const discoveryCa = await readDiscoveryCa(config);
  const runner = new ExecRunner();
  const backend = await selectBackend(config, runner, log, options.dryRun ?? false);
  const peerApiPort = apiPort(config);
  // Once stopping, a run still in flight opens no new connection for the stop to wait on, and ends its clock check.
  const stopping = new AbortController();
  const discovery = options.connector ?? grpcDiscovery(discoveryCa);
  const connector: DiscoveryConnector = (target) => {
    if (stopping.signal.aborted) throw new SpanwiseError('AGENT_STOPPING', `not connecting to discovery ${target.endpoint}: the agent is stopping`);
    return discovery(target);
  };
  const agent = createAgent({
    config,
    clock: systemClock,
    log,
    backend,
    hostname: config.node.hostname ?? hostname(),
    readHost: () => readHostNetwork(runner),
    persistence: {
      load: () => loadOrCreateIdentity(config.stateDir),
      save: (f) => saveIdentity(config.stateDir, f),
      nodeId: () => loadOrCreateNodeId(config.stateDir),
    },
    discovery: connector,
    hostChecks: { port: () => checkMeshPort(runner), clock: () => checkClock(runner, config.discovery.endpoints, stopping.signal) },
    ...(options.dryRun ? {} : { measureRtt: (address: string) => tcpRtt(address, peerApiPort, 2000) }),
  });
  const servers: ApiServer[] = [];
  let metrics: AgentMetricsEndpoint | undefined;
  const started = new Date();
  const context = { store: agent.store, backend: backend.name, started };
  try {
    await mkdir(config.runtimeDir, { recursive: true, mode: 0o700 });
    const socket = join(config.runtimeDir, 'agent.sock');
    servers.push(await startApiServer(context, { unixSocket: socket }));
    await chmod(socket, 0o600);
    if (config.api && apiTls) servers.push(await startApiServer(context, { tcp: { address: config.api.listen, tls: apiTls } }));
    if (config.metrics.enabled) {
      // prom-client and its collectors load only when metrics are on.
      const { startAgentMetrics } = await import('../metrics/agent-endpoint.js');
      metrics = await startAgentMetrics(config.metrics, agent.store, log, KUBESPAN.link);
    }
  } catch (error) {
    // Nothing was programmed yet: close what listens so the process can exit with the error.
    await agent.runtime.stop();
    await Promise.all(servers.map((s) => s.close()));
    if (error instanceof SpanwiseError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SpanwiseError(
      'API_LISTEN_FAILED',
      `api.listen ${config.api?.listen ?? ''}: cannot serve the agent API: ${message}`,
      'free the port or change api.listen; the mesh was not touched',
    );
  }
  agent.runtime.start();
  log.info('agent started', { cluster: config.cluster.id.slice(0, 8), backend: backend.name, api: config.api?.listen ?? 'local only' });
  return {
    agent,
    metrics,
    async stop() {
      stopping.abort();
      await agent.runtime.stop();
      await backend.close();
      await Promise.all(servers.map((s) => s.close()));
      await metrics?.stop();
    },
  };
}
