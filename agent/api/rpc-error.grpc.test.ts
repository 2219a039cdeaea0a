import { Server, ServerCredentials, status, type sendUnaryData } from '@grpc/grpc-js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentServiceService, ResourceType, type AgentServiceServer, type ListResourcesResponse } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { tlsOf } from '../../test/support/agent-certificates.js';
import { ManualClock } from '../shared/clock.js';
import { SpanwiseError } from '../shared/errors.js';
import { createCa, issueCertificate, issueDesktopCertificate, issueNodeCertificate, type KeyPairPem } from '../shared/pki.js';
import { ResourceStore } from '../resources/store.js';
import { agentClient, listResources } from './client.js';
import { startApiServer, type ApiServer } from './server.js';

/** grpc-js's own wording, which never reaches a message. */
const RAW = /14 UNAVAILABLE:|\d+ [A-Z_]+:|No connection established|Resolution note|Last error:|Deadline exceeded after|does not implement/;

/** A grpc-js server on loopback serving only the AgentService methods in `impl`, as an agent of another version would. */
async function partialAgent(ca: KeyPairPem, cert: KeyPairPem, impl: Partial<AgentServiceServer>): Promise<{ address: string; server: Server }> {
  const server = new Server();
  server.addService(AgentServiceService, impl as AgentServiceServer);
  const creds = ServerCredentials.createSsl(Buffer.from(ca.certPem), [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }], true);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', creds, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, server };
}

async function failure(promise: Promise<unknown>): Promise<SpanwiseError> {
  const error = await promise.then(
    () => new Error('the call succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpanwiseError);
  expect((error as SpanwiseError).message).not.toMatch(RAW);
  return error as SpanwiseError;
}

const dir = mkdtempSync(join(tmpdir(), 'spanwise-rpc-error-'));
let ca: KeyPairPem;
let nodeCert: KeyPairPem;
let desktop: KeyPairPem;
let agent: ApiServer;
const others: Server[] = [];
const tcpClient = (address: string, cert = desktop) => agentClient({ kind: 'tcp', address, machine: 'node-a', tls: tlsOf(cert, ca.certPem) });

beforeAll(async () => {
  ca = await createCa('cluster CA');
  nodeCert = await issueNodeCertificate(ca, 'node-a', { ip: ['127.0.0.1'] });
  desktop = await issueDesktopCertificate(ca);
  agent = await startApiServer(
    { store: new ResourceStore(new ManualClock()), backend: 'dry-run', started: new Date() },
    { tcp: { address: '127.0.0.1:0', tls: tlsOf(nodeCert, ca.certPem) }, unixSocket: join(dir, 'agent.sock') },
  );
});

afterAll(async () => {
  await agent.close();
  for (const server of others) server.forceShutdown();
});

describe('agent API failures from a real grpc-js server', () => {
  it('a certificate without the desktop role is AGENT_REFUSED, naming the node and the method', async () => {
    const client = tcpClient(`127.0.0.1:${agent.port}`, await issueCertificate(ca, 'spanwise-desktop', 'client'));
    const error = await failure(listResources(client, []));
    client.close();
    expect(error).toMatchObject({ code: 'AGENT_REFUSED', details: { machine: 'node-a', method: 'ListResources', grpcCode: status.PERMISSION_DENIED } });
    expect(error.message).toBe(`the agent API on node-a (127.0.0.1:${agent.port}) refused ListResources: ListResources is for the desktop certificate only`);
  });

  it("a request the agent finds invalid is AGENT_INVALID_REQUEST with the agent's words", async () => {
    const local = agentClient({ kind: 'unix', path: join(dir, 'agent.sock') });
    const error = await failure(listResources(local, [99 as ResourceType]));
    local.close();
    expect(error).toMatchObject({ code: 'AGENT_INVALID_REQUEST', details: { address: join(dir, 'agent.sock'), grpcCode: status.INVALID_ARGUMENT } });
    expect(error.message).toMatch(/^the local agent API \(.*agent\.sock\) refused the ListResources request as invalid: types\[0\]/);
  });

  it('an agent without the method is AGENT_TOO_OLD', async () => {
    const old = await partialAgent(ca, nodeCert, {});
    others.push(old.server);
    const client = tcpClient(old.address);
    const error = await failure(listResources(client, []));
    client.close();
    expect(error).toMatchObject({
      code: 'AGENT_TOO_OLD',
      message: `the agent API on node-a (${old.address}) is too old: it does not know ListResources`,
      details: { grpcCode: status.UNIMPLEMENTED },
    });
  });

  it('an agent that answers RESOURCE_EXHAUSTED is AGENT_BUSY, and one that never answers is AGENT_TIMEOUT', async () => {
    const listResourcesImpl = (call: { request: { types: ResourceType[] } }, done: sendUnaryData<ListResourcesResponse>) => {
      if (call.request.types.length) done({ code: status.RESOURCE_EXHAUSTED, details: 'too many watchers; try again shortly' });
    };
    const busy = await partialAgent(ca, nodeCert, { listResources: listResourcesImpl });
    others.push(busy.server);
    const client = tcpClient(busy.address);
    const refused = await failure(listResources(client, [ResourceType.RESOURCE_TYPE_ENDPOINT]));
    expect(refused).toMatchObject({ code: 'AGENT_BUSY', message: `the agent API on node-a (${busy.address}) is busy: too many watchers; try again shortly` });
    const silent = await failure(listResources(client, [], 300));
    expect(silent).toMatchObject({
      code: 'AGENT_TIMEOUT',
      message: `the agent API on node-a (${busy.address}) did not answer ListResources in time`,
      details: { grpcCode: status.DEADLINE_EXCEEDED },
    });
    client.close();
  });

  it('a stopped agent is AGENT_UNREACHABLE: nothing listens there', async () => {
    const stopped = await startApiServer(
      { store: new ResourceStore(new ManualClock()), backend: 'dry-run', started: new Date() },
      { tcp: { address: '127.0.0.1:0', tls: tlsOf(nodeCert, ca.certPem) } },
    );
    const address = `127.0.0.1:${stopped.port}`;
    await stopped.close();
    const client = tcpClient(address);
    const error = await failure(listResources(client, []));
    client.close();
    expect(error).toMatchObject({
      code: 'AGENT_UNREACHABLE',
      message: `the agent API on node-a (${address}) does not answer: nothing listens there`,
      details: { reason: 'connection-refused', grpcCode: status.UNAVAILABLE },
    });
    expect(error.hint).toContain('TCP 50000');
  });

  it('an agent whose certificate is from another CA is AGENT_UNREACHABLE because TLS failed', async () => {
    const other = await createCa('other CA');
    const stranger = await partialAgent(other, await issueNodeCertificate(other, 'node-a', { ip: ['127.0.0.1'] }), {});
    others.push(stranger.server);
    const client = tcpClient(stranger.address);
    const error = await failure(listResources(client, []));
    client.close();
    expect(error).toMatchObject({ code: 'AGENT_UNREACHABLE', details: { reason: 'tls-failed' } });
    expect(error.message).toContain("not signed by this cluster's CA");
  });
});
