import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SpanwiseError } from '../shared/errors.js';
import { agentCallError } from './rpc-error.js';

const node = { machine: 'edge-1', address: '192.0.2.10:50000' };
/** A ServiceError as grpc-js makes it: the status code, its own `details` and a `message` prefixed with the code. */
const grpcError = (code: status, details: string) => Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: {} });
const RAW = /\d+ [A-Z_]+:|No connection established|Resolution note|Last error:|Deadline exceeded after|LB pick|does not implement/;

describe('agentCallError', () => {
  it.each([
    [
      status.UNAVAILABLE,
      'No connection established. Last error: Error: connect ECONNREFUSED 192.0.2.10:50000. Resolution note: ',
      'AGENT_UNREACHABLE',
      /^the agent API on edge-1 \(192\.0\.2\.10:50000\) does not answer: nothing listens there$/,
    ],
    [
      status.DEADLINE_EXCEEDED,
      'Deadline exceeded after 4.001s,LB pick: 0.001s,remote_addr=192.0.2.10:50000',
      'AGENT_TIMEOUT',
      /edge-1 .* did not answer ListResources in time$/,
    ],
    [status.UNAUTHENTICATED, 'no client certificate', 'AGENT_REFUSED', /edge-1 .* refused ListResources: no client certificate$/],
    [
      status.PERMISSION_DENIED,
      'ListResources is for the desktop certificate only',
      'AGENT_REFUSED',
      /refused ListResources: ListResources is for the desktop certificate only$/,
    ],
    [
      status.UNIMPLEMENTED,
      'The server does not implement the method /spanwise.agent.v1.AgentService/ListResources',
      'AGENT_TOO_OLD',
      /edge-1 .* is too old: it does not know ListResources$/,
    ],
    [status.RESOURCE_EXHAUSTED, 'too many probes at once (4 running, 16 waiting); try again shortly', 'AGENT_BUSY', /is busy: too many probes at once/],
    [
      status.INVALID_ARGUMENT,
      'types[0]: unknown resource type 99',
      'AGENT_INVALID_REQUEST',
      /refused the ListResources request as invalid: types\[0\]: unknown resource type 99$/,
    ],
    [
      status.INTERNAL,
      'Received RST_STREAM with code 2 triggered by internal client error: Protocol error',
      'AGENT_ERROR',
      /failed ListResources \(INTERNAL\)$/,
    ],
    [status.DATA_LOSS, 'store file truncated', 'AGENT_ERROR', /failed ListResources \(DATA_LOSS\): store file truncated$/],
  ])('maps status %i to its own code, a message naming the node, a hint and the gRPC code', (code, details, expected, message) => {
    const error = agentCallError(grpcError(code, details), node, 'ListResources');
    expect(error).toBeInstanceOf(SpanwiseError);
    expect(error.code).toBe(expected);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(RAW);
    expect(error.hint).toBeTruthy();
    expect(error.details).toMatchObject({ machine: 'edge-1', address: '192.0.2.10:50000', method: 'ListResources', grpcCode: code });
  });

  it.each([
    ['Name resolution failed for target dns:edge-1.invalid:50000', 'name-unresolved', 'the name does not resolve'],
    ['No connection established. Last error: Error: connect EHOSTUNREACH 192.0.2.10:50000. Resolution note: ', 'no-route', 'no route to it'],
    [
      'No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: ',
      'tls-failed',
      'its certificate is not accepted',
    ],
    [
      `No connection established. Last error: Error: the agent's certificate does not belong to machine edge-1: it names "edge-2". Resolution note: `,
      'identity-mismatch',
      'names another machine',
    ],
    ['No connection established. Last error: Failed to connect (2026-12-01T13:42:30.385Z). Resolution note: ', 'no-connection', 'no connection could be made'],
  ])('says why an agent did not answer, from grpc-js text that it does not repeat: %s', (details, reason, phrase) => {
    const error = agentCallError(grpcError(status.UNAVAILABLE, details), node, 'GetHostFacts');
    expect(error).toMatchObject({ code: 'AGENT_UNREACHABLE', details: { reason, grpcCode: status.UNAVAILABLE } });
    expect(error.message).toContain(phrase);
    expect(error.message).not.toMatch(RAW);
    expect(error.message).not.toContain('2026-12-01');
  });

  it('names the local agent by its socket, with a hint about the local service', () => {
    const error = agentCallError(
      grpcError(status.UNAVAILABLE, 'No connection established. Last error: Error: connect ENOENT /run/spanwise/agent.sock. Resolution note: '),
      { address: '/run/spanwise/agent.sock' },
      'ListResources',
    );
    expect(error.message).toBe('the local agent API (/run/spanwise/agent.sock) does not answer: nothing listens there');
    expect(error.hint).toContain('systemctl status spanwise-agent');
    expect(error.details).not.toHaveProperty('machine');
  });

  it("keeps the agent's words printable and bounded, and drops them when they are grpc-js text", () => {
    const long = agentCallError(grpcError(status.INVALID_ARGUMENT, `host: \u001b[31m${'x'.repeat(1000)}`), node, 'Probe');
    expect(long.message).not.toContain('\u001b');
    expect(long.message.length).toBeLessThan(450);
    const raw = agentCallError(grpcError(status.PERMISSION_DENIED, '14 UNAVAILABLE: No connection established'), node, 'Probe');
    expect(raw.message).toBe('the agent API on edge-1 (192.0.2.10:50000) refused Probe');
  });

  it('passes a SpanwiseError through, and maps what is not a gRPC status as AGENT_ERROR', () => {
    const own = new SpanwiseError('AGENT_IDENTITY_MISMATCH', 'names another machine');
    expect(agentCallError(own, node, 'GetHostFacts')).toBe(own);
    const thrown = agentCallError(new Error('Last error: socket hang up'), node, 'GetHostFacts');
    expect(thrown).toMatchObject({ code: 'AGENT_ERROR', details: { grpcCode: status.UNKNOWN } });
    expect(thrown.message).not.toMatch(RAW);
  });
});
