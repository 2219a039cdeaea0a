import { hostPaths } from '../../../agent/shared/host-paths.js';

/** TCP ports below this need CAP_NET_BIND_SERVICE. */
const FIRST_UNPRIVILEGED_PORT = 1024;

/** What the unit grants for binding `port`: nothing, or only CAP_NET_BIND_SERVICE below 1024. */
function privileges(port: number): string[] {
  if (port >= FIRST_UNPRIVILEGED_PORT) return ['CapabilityBoundingSet=', 'PrivateUsers=yes'];
  // A private user namespace would void the capability for the host's network namespace.
  return ['CapabilityBoundingSet=CAP_NET_BIND_SERVICE', 'AmbientCapabilities=CAP_NET_BIND_SERVICE'];
}

/**
 * The systemd unit of `spanwise-agent discovery serve` on the node that hosts discovery, hardened
 * to `systemd-analyze security` 3.0 or better (discovery-unit.test.ts checks it): a DynamicUser=
 * with no capabilities (CAP_NET_BIND_SERVICE alone for a port below 1024), writing only its own
 * state dir (`hostPaths.discoveryStateDir`), with IPv4 and IPv6 sockets only and the
 * system-service syscalls. With `tls`, its certificate and key (root's, 0600) reach it through
 * LoadCredential= as a private copy in %d, the credentials dir: a new certificate needs a restart.
 */
export function discoveryUnit(port: number, tls = false): string {
  const stateDirectory = hostPaths.discoveryStateDir.replace(/^\/var\/lib\//, '');
  const tlsFlags = tls ? ' --tls-cert %d/discovery.crt --tls-key %d/discovery.key' : '';
  const credentials = tls ? `LoadCredential=discovery.crt:${hostPaths.discoveryCert}\nLoadCredential=discovery.key:${hostPaths.discoveryKey}\n` : '';
  return `[Unit]
Description=Spanwise discovery service (KubeSpan-compatible)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${hostPaths.agent} discovery serve --listen 0.0.0.0:${port} --state-file ${hostPaths.discoveryState}${tlsFlags}
${credentials}Restart=on-failure
RestartSec=2s
# JSON log lines to the journal, each with its priority prefix (journalctl -u spanwise-discovery -p warning).
SyslogIdentifier=spanwise-discovery

# Its own transient user and state dir; everything else read-only (ReadOnlyPaths=/run: systemd 252
# leaves /run writable under ProtectSystem=strict once ProtectProc= mounts the API file systems).
DynamicUser=yes
StateDirectory=${stateDirectory}
StateDirectoryMode=0700
ProtectSystem=strict
ReadOnlyPaths=/run
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateMounts=yes
UMask=0077

${privileges(port).join('\n')}
NoNewPrivileges=yes
RestrictSUIDSGID=yes
KeyringMode=private
RemoveIPC=yes

ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
ProcSubset=pid
LockPersonality=yes
RestrictRealtime=yes
RestrictNamespaces=yes
DevicePolicy=closed
# Node's JIT needs memory that is writable, then executable: V8 aborts at start under this.
MemoryDenyWriteExecute=no

# gRPC over TCP only; logs go to the journal through stderr.
RestrictAddressFamilies=AF_INET AF_INET6
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
SystemCallErrorNumber=EPERM

[Install]
WantedBy=multi-user.target
`;
}
