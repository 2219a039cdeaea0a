import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../agent/api/server.js';
import { ManualClock } from '../../../agent/shared/clock.js';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { createCa, issueCertificate, issueDesktopCertificate, issueNodeCertificate, type KeyPairPem } from '../../../agent/shared/pki.js';
import { ResourceStore } from '../../../agent/resources/store.js';
import { legacyNodeCertificate, tlsOf } from '../../../test/support/agent-certificates.js';
import { dialAgent } from './agent-connection.js';

/** A real agent API server on loopback presenting `cert`. */
async function agentPresenting(ca: KeyPairPem, cert: KeyPairPem): Promise<ApiServer> {
  const ctx = { store: new ResourceStore(new ManualClock()), backend: 'dry-run', started: new Date() };
  return startApiServer(ctx, { tcp: { address: '127.0.0.1:0', tls: tlsOf(cert, ca.certPem) } });
}

/** A plain TCP relay, as the SSH tunnel is: the desktop dials 127.0.0.1:<relay>, whoever is behind it answers. */
async function relayTo(port: number): Promise<{ address: string; server: Server }> {
  const server = createServer((socket) => {
    const upstream = connect(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SpanwiseError) return error.toEnvelope();
    return { code: 'OTHER', message: (error as Error).message };
  }
  return { code: 'ACCEPTED', message: '' };
}

let ca: KeyPairPem;
const closers: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  ca = await createCa('cluster CA');
});

afterAll(async () => {
  for (const close of closers) await close();
});

async function dial(address: string, machine: string) {
  const { facts, close } = await dialAgent(address, machine, ca, 5000);
  close();
  return facts;
}

describe('attack: an agent certificate for machine A presented where the desktop dials machine B', () => {
  it('the desktop refuses it as AGENT_IDENTITY_MISMATCH, and accepts the same agent as A', async () => {
    const agentA = await agentPresenting(ca, await issueNodeCertificate(ca, 'node-a', { ip: ['127.0.0.1'], dns: ['node-b'] }));
    closers.push(() => agentA.close());
    const address = `127.0.0.1:${agentA.port}`;
    const refused = await refusal(dial(address, 'node-b'));
    expect(refused).toMatchObject({
      code: 'AGENT_IDENTITY_MISMATCH',
      message: expect.stringMatching(/does not belong to machine node-b: it names "node-a", not "node-b"/),
    });
    expect(refused.hint).toMatch(/node onboard node-b/);
    expect((await dial(address, 'node-a')).agentVersion).not.toBe('');
  });

  it('checks the machine, not the address dialled: through a tunnel-like relay on 127.0.0.1 too', async () => {
    const agentA = await agentPresenting(ca, await issueNodeCertificate(ca, 'node-a', { ip: ['127.0.0.1'] }));
    const relay = await relayTo(agentA.port as number);
    closers.push(
      () => agentA.close(),
      () => void relay.server.close(),
    );
    expect((await refusal(dial(relay.address, 'node-b'))).code).toBe('AGENT_IDENTITY_MISMATCH');
    expect((await dial(relay.address, 'node-a')).agentVersion).not.toBe('');
  });

  it('a certificate signed before roles names its machine by common name only: accepted as that machine, refused as another', async () => {
    const legacyA = await agentPresenting(ca, await legacyNodeCertificate(ca, 'node-a'));
    closers.push(() => legacyA.close());
    const address = `127.0.0.1:${legacyA.port}`;
    expect((await dial(address, 'node-a')).agentVersion).not.toBe('');
    expect(await refusal(dial(address, 'node-b'))).toMatchObject({
      code: 'AGENT_IDENTITY_MISMATCH',
      message: expect.stringMatching(/it names "node-a", not "node-b"/),
    });
    // Not as earlier versions signed nodes (those were for client use too): a roleless server certificate names no machine.
    const roleless = await agentPresenting(ca, await issueCertificate(ca, 'node-a', 'server'));
    closers.push(() => roleless.close());
    expect(await refusal(dial(`127.0.0.1:${roleless.port}`, 'node-a'))).toMatchObject({
      code: 'AGENT_IDENTITY_MISMATCH',
      message: expect.stringMatching(/carries no node role/),
    });
  });

  it("the desktop's own certificate cannot serve as an agent (client use only), nor can another CA's node", async () => {
    const desktopAsAgent = await agentPresenting(ca, await issueDesktopCertificate(ca));
    const other = await createCa('other CA');
    const strangerB = await startApiServer(
      { store: new ResourceStore(new ManualClock()), backend: 'dry-run', started: new Date() },
      { tcp: { address: '127.0.0.1:0', tls: tlsOf(await issueNodeCertificate(other, 'node-b'), other.certPem) } },
    );
    closers.push(
      () => desktopAsAgent.close(),
      () => strangerB.close(),
    );
    expect((await refusal(dial(`127.0.0.1:${desktopAsAgent.port}`, 'spanwise-desktop'))).code).not.toBe('ACCEPTED');
    expect((await refusal(dial(`127.0.0.1:${strangerB.port}`, 'node-b'))).code).not.toBe('ACCEPTED');
  });
});
