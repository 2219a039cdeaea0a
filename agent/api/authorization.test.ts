import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeProtocol, ResourceType, type AgentServiceClient } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { legacyNodeCertificate, statusOf, tlsOf, within } from '../../test/support/agent-certificates.js';
import { ManualClock } from '../shared/clock.js';
import { createCa, issueCertificate, issueDesktopCertificate, issueNodeCertificate, type KeyPairPem } from '../shared/pki.js';
import { ResourceStore } from '../resources/store.js';
import { agentClient } from './client.js';
import { startApiServer, type ApiServer } from './server.js';

/** Every RPC of the agent API, each as one call whose arguments the agent refuses anyway (no packet leaves), ending in its status. */
function everyRpc(client: AgentServiceClient): Array<[string, Promise<{ code: number; details: string }>]> {
  const watch = new Promise<{ code: number; details: string }>((resolve) => {
    const stream = client.watchResources({ types: [ResourceType.RESOURCE_TYPE_ENDPOINT] }, new Metadata(), within());
    stream.on('data', () => (resolve({ code: 0, details: '' }), stream.cancel()));
    stream.on('error', (error: ServiceError) => resolve({ code: error.code, details: error.details }));
  });
  return [
    ['GetHostFacts', statusOf((done) => client.getHostFacts({}, new Metadata(), within(), done))],
    ['ListResources', statusOf((done) => client.listResources({ types: [] }, new Metadata(), within(), done))],
    ['WatchResources', watch],
    [
      'Probe',
      statusOf((done) =>
        client.probe(
          { protocol: ProbeProtocol.PROBE_PROTOCOL_TCP, host: '127.0.0.1', port: 50000, timeoutMs: 1, sourcePort: 0 },
          new Metadata(),
          within(),
          done,
        ),
      ),
    ],
    [
      'OpenResponder',
      statusOf((done) => client.openResponder({ protocol: ProbeProtocol.PROBE_PROTOCOL_UDP, port: 47001, durationMs: 1 }, new Metadata(), within(), done)),
    ],
  ];
}

type Outcome = { code: number; details: string };

async function outcomes(client: AgentServiceClient): Promise<Record<string, Outcome>> {
  const calls = everyRpc(client);
  const results = await Promise.all(calls.map(([, call]) => call));
  client.close();
  return Object.fromEntries(calls.map(([name], i) => [name, results[i] as Outcome]));
}

const roleRefusal = (name: string): Outcome => ({ code: status.PERMISSION_DENIED, details: `${name} is for the desktop certificate only` });
const allRefused = {
  GetHostFacts: roleRefusal('GetHostFacts'),
  ListResources: roleRefusal('ListResources'),
  WatchResources: roleRefusal('WatchResources'),
  Probe: roleRefusal('Probe'),
  OpenResponder: roleRefusal('OpenResponder'),
};

const dir = mkdtempSync(join(tmpdir(), 'spanwise-authz-'));
let ca: KeyPairPem;
let server: ApiServer;
const address = () => `127.0.0.1:${server.port}`;
const clientWith = (pair: KeyPairPem) => agentClient({ kind: 'tcp', address: address(), machine: 'node-b', tls: tlsOf(pair, ca.certPem) });

beforeAll(async () => {
  ca = await createCa('cluster CA');
  const agentB = await issueNodeCertificate(ca, 'node-b', { ip: ['127.0.0.1'] });
  // The rate budget never refills here, so one test's probes cannot hide behind another's.
  const ctx = { store: new ResourceStore(new ManualClock()), backend: 'dry-run', started: new Date(), probeLimits: { clock: new ManualClock() } };
  server = await startApiServer(ctx, { tcp: { address: '127.0.0.1:0', tls: tlsOf(agentB, ca.certPem) }, unixSocket: join(dir, 'agent.sock') });
});

afterAll(() => server.close());

describe('attack: a node certificate used as a client of another agent', () => {
  it('a node certificate of this version fails TLS as a client: it is signed for server use only', async () => {
    const nodeA = await issueNodeCertificate(ca, 'node-a', { ip: ['127.0.0.1'] });
    const codes = Object.values(await outcomes(clientWith(nodeA))).map((o) => o.code);
    expect(codes).toEqual(Array(5).fill(status.UNAVAILABLE));
  });

  it('a node certificate signed before roles (client and server use) is refused every RPC with PERMISSION_DENIED', async () => {
    const legacyA = await legacyNodeCertificate(ca, 'node-a');
    expect(await outcomes(clientWith(legacyA))).toEqual(allRefused);
  });

  it('a client certificate of the cluster CA without the desktop role is refused too', async () => {
    const noRole = await issueCertificate(ca, 'spanwise-desktop', 'client');
    expect(await outcomes(clientWith(noRole))).toEqual(allRefused);
  });

  it('the desktop certificate still reaches every RPC (the policy answers, not the role check)', async () => {
    const result = await outcomes(clientWith(await issueDesktopCertificate(ca)));
    expect([result.GetHostFacts?.code, result.ListResources?.code, result.WatchResources?.code]).toEqual([status.OK, status.OK, status.OK]);
    expect(result.Probe?.details).toMatch(/is a loopback address/);
    expect(result.OpenResponder?.details).toMatch(/may bind 51820, 51821, 51822 only/);
  });

  it('the local unix socket needs no certificate (its file mode is its access control)', async () => {
    const local = agentClient({ kind: 'unix', path: join(dir, 'agent.sock') });
    expect((await statusOf((done) => local.getHostFacts({}, new Metadata(), within(), done))).code).toBe(status.OK);
    local.close();
  });
});
