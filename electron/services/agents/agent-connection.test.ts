import { Server, ServerCredentials } from '@grpc/grpc-js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanwiseError } from '../../../agent/shared/errors.js';
import { createCa, issueNodeCertificate, type KeyPairPem } from '../../../agent/shared/pki.js';
import { AgentServiceService } from '../../../proto/gen/spanwise/agent/v1/agent.js';
import { startLoopbackSshd, type LoopbackSshd } from '../../../test/support/loopback-sshd.js';
import { HostKeyStore } from '../ssh/host-keys.js';
import { SshSession } from '../ssh/session.js';
import { openDatabase, type Db } from '../store/database.js';
import { connectAgent, dialAgent } from './agent-connection.js';

const RAW = /\d+ [A-Z_]+:|No connection established|Resolution note|Last error:|does not implement/;

async function failure(promise: Promise<unknown>): Promise<SpanwiseError> {
  const error = await promise.then(
    () => new Error('connected'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpanwiseError);
  expect((error as SpanwiseError).message).not.toMatch(RAW);
  return error as SpanwiseError;
}

let ca: KeyPairPem;
let old: Server;
let oldAddress: string;
let sshd: LoopbackSshd;
let db: Db;
let session: SshSession;
// No agent listens on TCP 50000 of this loopback address, directly or as sshd sees it.
const machine = { name: 'node-a', host: '127.0.0.3' };

beforeAll(async () => {
  ca = await createCa('cluster CA');
  const cert = await issueNodeCertificate(ca, 'node-a', { ip: ['127.0.0.1'] });
  old = new Server();
  old.addService(AgentServiceService, {});
  const creds = ServerCredentials.createSsl(Buffer.from(ca.certPem), [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }], true);
  oldAddress = `127.0.0.1:${await new Promise<number>((resolve, reject) => old.bindAsync('127.0.0.1:0', creds, (error, port) => (error ? reject(error) : resolve(port))))}`;
  sshd = await startLoopbackSshd();
  db = openDatabase(mkdtempSync(join(tmpdir(), 'spanwise-agent-connection-')));
  const target = { user: sshd.user, host: '127.0.0.1', port: sshd.port };
  session = await SshSession.open({
    target,
    jump: [],
    credentials: { identityFile: sshd.identityFile },
    hostKeys: new HostKeyStore(db),
    decision: { trustOnFirstUse: true },
  });
});

afterAll(() => {
  old?.forceShutdown();
  session?.close();
  sshd?.stop();
  db?.close();
});

describe('agent connections from the desktop', () => {
  it('an agent of a version without GetHostFacts is AGENT_TOO_OLD, named by machine and address', async () => {
    const error = await failure(dialAgent(oldAddress, 'node-a', ca, 3000));
    expect(error).toMatchObject({
      code: 'AGENT_TOO_OLD',
      message: `the agent API on node-a (${oldAddress}) is too old: it does not know GetHostFacts`,
      details: { machine: 'node-a', method: 'GetHostFacts', grpcCode: 12 },
    });
  });

  it('an agent that does not answer directly and has no SSH session is AGENT_UNREACHABLE with the direct reason', async () => {
    const error = await failure(connectAgent(machine, ca, null, 3000));
    expect(error).toMatchObject({
      code: 'AGENT_UNREACHABLE',
      message: 'the agent API on node-a (127.0.0.3:50000) does not answer: nothing listens there',
      details: { reason: 'connection-refused' },
    });
  });

  it('an agent that answers neither directly nor through an SSH tunnel says both, with the agent log as the hint', async () => {
    const error = await failure(connectAgent(machine, ca, session, 3000));
    expect(error.code).toBe('AGENT_UNREACHABLE');
    expect(error.message).toMatch(/^the agent API on node-a \(through SSH to 127\.0\.0\.3\) does not answer: .+ \(nor directly on 127\.0\.0\.3:50000\)$/);
    expect(error.hint).toContain('journalctl -u spanwise-agent');
    expect(error.details).toMatchObject({ machine: 'node-a', address: '127.0.0.3:50000', via: 'ssh-tunnel', grpcCode: 14 });
  });
});
