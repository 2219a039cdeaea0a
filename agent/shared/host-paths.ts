/** Where Spanwise puts things on a host. The agent's config and the systemd unit use the same paths. */
export const hostPaths = {
  installDir: '/opt/spanwise',
  agent: '/opt/spanwise/spanwise-agent.mjs',
  configDir: '/etc/spanwise',
  config: '/etc/spanwise/agent.yaml',
  tlsDir: '/etc/spanwise/tls',
  caCert: '/etc/spanwise/tls/ca.crt',
  cert: '/etc/spanwise/tls/agent.crt',
  key: '/etc/spanwise/tls/agent.key',
  /** The discovery service's TLS certificate and key (root, 0600 key; its unit loads them with LoadCredential=). */
  discoveryCert: '/etc/spanwise/tls/discovery.crt',
  discoveryKey: '/etc/spanwise/tls/discovery.key',
  stateDir: '/var/lib/spanwise',
  runtimeDir: '/run/spanwise',
  /** Log files of services run by `spanwise-agent supervise` or OpenRC (under systemd, logs go to the journal). */
  logDir: '/var/log/spanwise',
  openrcScript: '/etc/init.d/spanwise-agent',
  agentUnit: '/etc/systemd/system/spanwise-agent.service',
  discoveryUnit: '/etc/systemd/system/spanwise-discovery.service',
  /** The discovery service's own state dir (its systemd unit runs as a DynamicUser=, away from the agent's files). */
  discoveryStateDir: '/var/lib/spanwise-discovery',
  /** Where systemd keeps a DynamicUser= state dir; `discoveryStateDir` is then a link to it. */
  discoveryPrivateStateDir: '/var/lib/private/spanwise-discovery',
  discoveryState: '/var/lib/spanwise-discovery/discovery.state',
} as const;
