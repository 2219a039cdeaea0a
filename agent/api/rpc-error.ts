import { status } from '@grpc/grpc-js';
import { SpanwiseError } from '../shared/errors.js';

/** An error that reaches the caller as this gRPC status code and message. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/** The error codes a failed agent API call becomes, by gRPC status (agentCallError). */
export type AgentErrorCode = 'AGENT_UNREACHABLE' | 'AGENT_TIMEOUT' | 'AGENT_REFUSED' | 'AGENT_TOO_OLD' | 'AGENT_BUSY' | 'AGENT_INVALID_REQUEST' | 'AGENT_ERROR';

/**
 * Which agent was called, as people know it: the machine name (absent for the local socket)
 * and the address shown (what was dialled, or how, e.g. "through an SSH tunnel").
 */
export interface AgentPlace {
  machine?: string;
  address: string;
}

/** Why an agent did not answer, read from grpc-js's own text (which never reaches a message). */
export type UnreachableReason = 'connection-refused' | 'name-unresolved' | 'no-route' | 'identity-mismatch' | 'tls-failed' | 'no-connection';

const REASONS: Array<[RegExp, UnreachableReason, string]> = [
  [/ECONNREFUSED|ENOENT|ECONNRESET/, 'connection-refused', 'nothing listens there'],
  [/Name resolution failed|ENOTFOUND|EAI_AGAIN/, 'name-unresolved', 'the name does not resolve'],
  [/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/, 'no-route', 'no route to it (timed out or unreachable)'],
  [/does not belong to machine/, 'identity-mismatch', 'its certificate names another machine'],
  [/certificate|SSL|TLS|handshake/i, 'tls-failed', "TLS failed: its certificate is not accepted (expired, or not signed by this cluster's CA)"],
  [/./, 'no-connection', 'no connection could be made (a client certificate from another CA is refused this way too)'],
];

/** grpc-js's own wording: status prefixes, connection and resolver notes, deadline timings. */
const RAW_GRPC =
  /\b\d{1,2} [A-Z_]{4,}:|No connection established|Last error:|Resolution note|Deadline exceeded after|LB pick|remote_addr=|The server does not implement|Received RST_STREAM|Call cancelled|Stream refused/i;

const MAX_AGENT_TEXT = 300;

/** The agent's own words from a status, if they are words for people: printable, bounded, not grpc-js text. */
function agentText(details: unknown): string | undefined {
  if (typeof details !== 'string') return undefined;
  const text = details
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, MAX_AGENT_TEXT);
  return text && !RAW_GRPC.test(text) ? text : undefined;
}

interface Mapped {
  code: AgentErrorCode;
  message: string;
  hint: string;
  reason?: UnreachableReason;
}

function mapStatus(grpcCode: number, details: unknown, who: string, method: string, local: boolean): Mapped {
  const said = agentText(details);
  const saying = said ? `: ${said}` : '';
  switch (grpcCode) {
    case status.UNAVAILABLE: {
      const [, reason, why] = REASONS.find(([pattern]) => pattern.test(String(details ?? ''))) ?? REASONS[REASONS.length - 1]!;
      const hint = local
        ? 'check that the agent runs on this machine (systemctl status spanwise-agent) and that --socket names its socket'
        : 'check that the agent runs on the node, that TCP 50000 is allowed from this machine, and that the client certificate is the desktop certificate of this cluster';
      return { code: 'AGENT_UNREACHABLE', message: `${who} does not answer: ${why}`, hint, reason };
    }
    case status.DEADLINE_EXCEEDED:
      return {
        code: 'AGENT_TIMEOUT',
        message: `${who} did not answer ${method} in time`,
        hint: 'the node or the path to it is slow or overloaded; try again, and check the agent log if it persists',
      };
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return {
        code: 'AGENT_REFUSED',
        message: `${who} refused ${method}${saying}`,
        hint: "call it with the desktop certificate signed by this cluster's CA; if that is what was used, change the request as the message says",
      };
    case status.UNIMPLEMENTED:
      return {
        code: 'AGENT_TOO_OLD',
        message: `${who} is too old: it does not know ${method}`,
        hint: 'upgrade its agent to this version: re-run `spanwise node onboard <name>` for that machine',
      };
    case status.RESOURCE_EXHAUSTED:
      return { code: 'AGENT_BUSY', message: `${who} is busy${saying}`, hint: 'try again shortly' };
    case status.INVALID_ARGUMENT:
      return {
        code: 'AGENT_INVALID_REQUEST',
        message: `${who} refused the ${method} request as invalid${saying}`,
        hint: 'correct the named field; if this version sent it, upgrade the agent and the desktop to the same version',
      };
    default:
      return {
        code: 'AGENT_ERROR',
        message: `${who} failed ${method} (${status[grpcCode] ?? `status ${grpcCode}`})${saying}`,
        hint: 'check the agent log on the node (/var/log/spanwise/agent.log or journalctl -u spanwise-agent)',
      };
  }
}

const isStatusError = (error: unknown): error is { code: number; details?: unknown } =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number';

/**
 * The one mapping of a failed agent API call (a grpc-js ServiceError) to a SpanwiseError: a code
 * per gRPC status (AgentErrorCode), a message naming the agent and the method, a hint with the fix,
 * and details `{ machine?, address, method, grpcCode, reason? }`. grpc-js's own text never reaches
 * the message; the agent's own words (e.g. which field it refused) do. A SpanwiseError passes as is.
 */
export function agentCallError(error: unknown, place: AgentPlace, method: string): SpanwiseError {
  if (error instanceof SpanwiseError) return error;
  const who = place.machine === undefined ? `the local agent API (${place.address})` : `the agent API on ${place.machine} (${place.address})`;
  const grpcCode = isStatusError(error) ? error.code : status.UNKNOWN;
  const details = isStatusError(error) ? error.details : undefined;
  const mapped = mapStatus(grpcCode, details, who, method, place.machine === undefined);
  return new SpanwiseError(mapped.code, mapped.message, mapped.hint, {
    machine: place.machine,
    address: place.address,
    method,
    grpcCode,
    reason: mapped.reason,
  });
}
