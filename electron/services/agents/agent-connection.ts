import { Metadata, status } from '@grpc/grpc-js';
import { agentClient, agentPlace } from '../../../agent/api/client.js';
import { agentCallError } from '../../../agent/api/rpc-error.js';
import { issueDesktopCertificate, type KeyPairPem } from '../../../agent/shared/pki.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import type { AgentServiceClient, GetHostFactsResponse } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import type { AgentVia } from '../../contract/mesh.js';
import type { SshSession } from '../ssh/session.js';
import { AGENT_API_PORT } from '../../../agent/shared/ports.js';
import { printable } from '../remote-fields.js';
import { openDialRelay } from './dial-relay.js';
import { openSshTunnel, type SshTunnel } from './ssh-tunnel.js';

/** An open client to one agent's API, with how it was reached. */
export interface AgentConnection {
  client: AgentServiceClient;
  via: AgentVia;
  facts: GetHostFactsResponse;
  close(): Promise<void>;
}

const desktopCertificates = new Map<string, Promise<KeyPairPem>>();

/**
 * The desktop's client certificate for a cluster CA (made once per process; the CA signs it):
 * the only certificate agents take calls from (the desktop role, clientAuth only).
 */
export function desktopCertificate(ca: KeyPairPem): Promise<KeyPairPem> {
  let cert = desktopCertificates.get(ca.certPem);
  if (!cert) {
    cert = issueDesktopCertificate(ca);
    desktopCertificates.set(ca.certPem, cert);
  }
  return cert;
}

const MAX_FACT = 128;
const MAX_ADDRESSES = 64;

/** An agent's host facts with every string bounded and printable: they come from another machine. */
export function boundedFacts(facts: GetHostFactsResponse): GetHostFactsResponse {
  const text = (value: unknown) => (typeof value === 'string' ? printable(value, MAX_FACT) : '');
  return {
    agentVersion: text(facts.agentVersion),
    hostname: text(facts.hostname),
    os: text(facts.os),
    kernel: text(facts.kernel),
    arch: text(facts.arch),
    wireguardBackend: text(facts.wireguardBackend),
    now: facts.now instanceof Date ? facts.now : undefined,
    started: facts.started instanceof Date ? facts.started : undefined,
    addresses: (Array.isArray(facts.addresses) ? facts.addresses : []).slice(0, MAX_ADDRESSES).map(text),
  };
}

/** Calls GetHostFacts with a deadline; errors as SpanwiseError (agentCallError). */
export function hostFacts(client: AgentServiceClient, timeoutMs: number): Promise<GetHostFactsResponse> {
  return new Promise((resolve, reject) => {
    client.getHostFacts({}, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (error, response) =>
      error ? reject(agentCallError(error, agentPlace(client), 'GetHostFacts')) : resolve(boundedFacts(response)),
    );
  });
}

/** The machine an agent connection is for: its name (what its certificate must carry) and its SSH host. */
export interface AgentMachine {
  name: string;
  host: string;
}

const identityHint = (machine: string) =>
  `re-run \`spanwise node onboard ${machine}\` to re-sign its agent certificate; if it was just signed, something else answers on that address`;

/**
 * Opens a client to the agent at `address` and reads its host facts. The agent's certificate
 * must name `machine` (agent/shared/cert-roles.ts): one that does not is refused as
 * AGENT_IDENTITY_MISMATCH, anything else as agentCallError maps it. Errors name the address
 * as `shownAs` when given (an SSH tunnel's local end means nothing to people). The client dials
 * through a DialRelay, so a failed dial, and `close` after a good one, leave no socket behind.
 */
export async function dialAgent(
  address: string,
  machine: string,
  ca: KeyPairPem,
  timeoutMs: number,
  shownAs = address,
): Promise<{ client: AgentServiceClient; facts: GetHostFactsResponse; close(): void }> {
  const mine = await desktopCertificate(ca);
  let refused: string | undefined;
  const tls = { ca: Buffer.from(ca.certPem), cert: Buffer.from(mine.certPem), key: Buffer.from(mine.keyPem) };
  const relay = await openDialRelay(address, timeoutMs);
  let client: AgentServiceClient | undefined;
  const close = () => {
    client?.close();
    relay.close();
  };
  try {
    client = agentClient({ kind: 'tcp', address: relay.localAddress, machine, tls, shownAs, onIdentityRefused: (reason) => (refused = reason) });
    return { client, facts: await hostFacts(client, timeoutMs), close };
  } catch (error) {
    close();
    if (!client) throw error;
    if (refused !== undefined)
      throw new SpanwiseError('AGENT_IDENTITY_MISMATCH', `agent API on ${shownAs}: ${refused}`, identityHint(machine), { machine, address: shownAs });
    // The relay saw why the agent could not be reached; grpc-js only saw the relay reset.
    const why = relay.lastError();
    if (why !== undefined && error instanceof SpanwiseError && error.code === 'AGENT_UNREACHABLE')
      throw agentCallError({ code: status.UNAVAILABLE, details: why }, agentPlace(client), 'GetHostFacts');
    throw error;
  }
}

/**
 * Connects to a machine's agent: directly on TCP 50000 first, then through an SSH tunnel when a
 * session is given (TCP 50000 blocked on the way, or another agent answering on that address:
 * the tunnel goes to the machine SSH verified). Either way the agent's certificate must name
 * the machine. Without a session the direct attempt's error is thrown; with one, the tunnel's
 * (an agent that does not answer even there is AGENT_UNREACHABLE, with the agent log as the hint).
 */
export async function connectAgent(machine: AgentMachine, ca: KeyPairPem, session: SshSession | null, timeoutMs = 4000): Promise<AgentConnection> {
  const { host } = machine;
  const direct = host.includes(':') ? `[${host}]:${AGENT_API_PORT}` : `${host}:${AGENT_API_PORT}`;
  try {
    const { client, facts, close } = await dialAgent(direct, machine.name, ca, timeoutMs);
    return { client, via: 'direct', facts, close: async () => close() };
  } catch (directError) {
    if (!session) throw directError;
  }
  let tunnel: SshTunnel | undefined;
  try {
    tunnel = await openSshTunnel(session, '127.0.0.1', AGENT_API_PORT);
    const { client, facts, close } = await dialAgent(tunnel.localAddress, machine.name, ca, timeoutMs, `through SSH to ${host}`);
    const opened = tunnel;
    return { client, via: 'ssh-tunnel', facts, close: async () => (close(), opened.close()) };
  } catch (error) {
    await tunnel?.close();
    if (error instanceof SpanwiseError && error.code !== 'AGENT_UNREACHABLE') throw error;
    const tunnelled = error instanceof SpanwiseError ? error : undefined;
    const message = `${tunnelled?.message ?? `the agent API on ${machine.name} (through SSH to ${host}) does not answer`} (nor directly on ${direct})`;
    throw new SpanwiseError(
      'AGENT_UNREACHABLE',
      message,
      'check that the agent runs on the node: its log is /var/log/spanwise/agent.log or journalctl -u spanwise-agent',
      { ...tunnelled?.details, address: direct, via: 'ssh-tunnel' },
    );
  }
}
