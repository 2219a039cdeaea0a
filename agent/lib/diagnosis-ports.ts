/**
 * The ports diagnosis uses on agents, shared by the agent (which refuses any other) and the
 * desktop's tests (which check that diagnosis asks for nothing else).
 */

/** WireGuard's port, probed before the mesh takes it. */
export const MESH_PORT = 51820;

/** UDP ports a responder may bind: the mesh port, and the two NAT observer ports. No TCP responder is used. */
export const RESPONDER_PORTS: Readonly<Record<'tcp' | 'udp', readonly number[]>> = { udp: [MESH_PORT, 51821, 51822], tcp: [] };

/** The longest a responder may stay open, in ms (diagnosis asks for 5 s and 8 s). */
export const MAX_RESPONDER_MS = 30_000;

/** Source ports a UDP probe may be sent from: any (0), the mesh port, and the NAT probe port. */
export const PROBE_SOURCE_PORTS: readonly number[] = [0, MESH_PORT, 51823];
