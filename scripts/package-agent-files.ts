import { hostPaths } from '../agent/shared/host-paths.js';

/** The agent's files inside its .deb and .rpm, relative to `/`. */
export const packagePaths = {
  bundle: hostPaths.agent.slice(1),
  runtime: (version: string) => `opt/spanwise/runtime/${version}/node`,
  nodeLink: 'opt/spanwise/bin/node',
  command: 'usr/bin/spanwise-agent',
  unit: 'usr/lib/systemd/system/spanwise-agent.service',
} as const;

/** /usr/bin/spanwise-agent: the agent with the packaged runtime. */
export const commandWrapper = `#!/bin/sh
exec /opt/spanwise/bin/node ${hostPaths.agent} "$@"
`;

/**
 * Shell run after install or upgrade (`$1` is deb's `configure` or rpm's count): reloads systemd, and
 * enables and (re)starts the agent only on a host that already has its config (onboarded before).
 */
export const afterInstall = `if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
  if [ -f ${hostPaths.config} ]; then
    systemctl enable spanwise-agent >/dev/null 2>&1 || true
    systemctl restart spanwise-agent >/dev/null 2>&1 || echo "spanwise-agent: could not start; see journalctl -u spanwise-agent" >&2
  fi
fi
`;

/** Shell run before removal (`removing` is true on a real remove, false on upgrade): stops the agent, and on removal disables it. */
export const beforeRemove = (removing: string) => `if [ -d /run/systemd/system ]; then
  systemctl stop spanwise-agent >/dev/null 2>&1 || true
  if ${removing}; then systemctl disable spanwise-agent >/dev/null 2>&1 || true; fi
fi
`;

/** Shell run after removal: systemd forgets the unit. */
export const afterRemove = `if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
`;

/** The package's one-line summary and its description. */
export const summary = 'Spanwise node agent (KubeSpan-compatible WireGuard mesh)';
export const description =
  'The Spanwise node agent with its own Node.js runtime: identity, discovery, WireGuard peers, routes and nftables for a full-mesh network that is wire-compatible with Talos KubeSpan.';
