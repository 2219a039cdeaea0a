/**
 * The ports Spanwise uses, for the agent, the desktop and diagnosis alike: the mesh, the agent
 * API, the discovery service's default, and the ports diagnosis may open on agents (the agent
 * refuses any other; the desktop's tests check that diagnosis asks for nothing else).
 */

/** WireGuard's (KubeSpan's) listen port. */
export const MESH_PORT = 51820;

/** TCP port of the agent API. */
export const AGENT_API_PORT = 50000;

/** Default TCP port of the agent's Prometheus metrics (`metrics.listen`). */
export const AGENT_METRICS_PORT = 9587;

/** Default TCP port of a discovery service Spanwise runs (on a node or in the desktop). */
export const DISCOVERY_PORT = 3000;

/** UDP ports a responder may bind: the mesh port, and the two NAT observer ports. No TCP responder is used. */
export const RESPONDER_PORTS: Readonly<Record<'tcp' | 'udp', readonly number[]>> = { udp: [MESH_PORT, 51821, 51822], tcp: [] };

/** The longest a responder may stay open, in ms (diagnosis asks for 5 s and 8 s). */
export const MAX_RESPONDER_MS = 30_000;

/** Source ports a UDP probe may be sent from: any (0), the mesh port, and the NAT probe port. */
export const PROBE_SOURCE_PORTS: readonly number[] = [0, MESH_PORT, 51823];
