import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointSource, PeerState, type PeerStatus } from '../../proto/gen/spanwise/agent/v1/agent.js';
import { startApiServer, type ApiServer } from '../../agent/api/server.js';
import { systemClock } from '../../agent/shared/clock.js';
import { createCa, issueDesktopCertificate, issueNodeCertificate } from '../../agent/shared/pki.js';
import { EndpointKind, IdentityKind, PeerSpecKind, PeerStatusKind } from '../../agent/resources/kinds.js';
import { ResourceStore } from '../../agent/resources/store.js';
import { AgentStream, runAgent } from './agent-cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-agent-cli-'));
const socket = join(dir, 'agent.sock');
const store = new ResourceStore(systemClock);
let servers: ApiServer[] = [];
let tcp: string[] = [];

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const KEY_C = Buffer.alloc(32, 3).toString('base64');
const peer = (label: string, publicKey: string, state = PeerState.PEER_STATE_UP): PeerStatus => ({
  publicKey,
  label,
  state,
  endpoint: `203.0.113.${label.length}:51820`,
  lastHandshake: undefined,
  rxBytes: 100,
  txBytes: 200,
  lastEndpointChange: undefined,
  reason: '',
});

beforeAll(async () => {
  store.upsert(IdentityKind, 'local', {
    nodeId: 'n1',
    publicKey: KEY_A,
    address: 'fd7f::1',
    subnet: 'fd7f::/64',
    hostname: 'edge1',
    linkName: 'eth0',
    linkMac: '02:00:00:00:00:01',
    linkFallback: false,
  });
  store.upsert(PeerSpecKind, KEY_B, {
    publicKey: KEY_B,
    label: 'cloud1',
    nodeId: 'n2',
    address: 'fd7f::2',
    allowedIps: ['fd7f::2/128'],
    endpoints: ['198.51.100.2:51820'],
  });
  store.upsert(PeerStatusKind, KEY_B, peer('cloud1', KEY_B));
  store.upsert(EndpointKind, '192.0.2.1:51820', { address: '192.0.2.1:51820', source: EndpointSource.ENDPOINT_SOURCE_REFLECTED, order: 0 });
  const ca = await createCa('cluster CA');
  const nodeCert = await issueNodeCertificate(ca, 'edge1', { ip: ['127.0.0.1'] });
  const desktop = await issueDesktopCertificate(ca);
  const files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'desktop.pem'), key: join(dir, 'desktop.key') };
  writeFileSync(files.ca, ca.certPem);
  writeFileSync(files.cert, desktop.certPem);
  writeFileSync(files.key, desktop.keyPem, { mode: 0o600 });
  const context = { store, backend: 'dry-run', started: new Date() };
  servers.push(await startApiServer(context, { unixSocket: socket }));
  const remote = await startApiServer(context, {
    tcp: { address: '127.0.0.1:0', tls: { ca: Buffer.from(ca.certPem), cert: Buffer.from(nodeCert.certPem), key: Buffer.from(nodeCert.keyPem) } },
  });
  servers.push(remote);
  tcp = ['--node', `127.0.0.1:${remote.port}`, '--name', 'edge1', '--ca', files.ca, '--cert', files.cert, '--key', files.key];
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const get = (...args: string[]) => runAgent(['get', ...args, '--socket', socket]);

describe('spanwise-agent get against a real agent API', () => {
  it.each([
    ['kubespanidentities', 'kubespanidentity', KEY_A],
    ['kubespanpeerspecs', 'kubespanpeerspec', 'cloud1'],
    ['kubespanpeerstatuses', 'kubespanpeerstatus', 'cloud1'],
    ['kubespanendpoints', 'kubespanendpoint', '192.0.2.1:51820'],
  ])('answers to %s and %s like the short name', async (plural, singular, shown) => {
    const short = { kubespanidentities: 'identities', kubespanpeerspecs: 'peerspecs', kubespanpeerstatuses: 'peerstatuses', kubespanendpoints: 'endpoints' }[
      plural
    ] as string;
    const runs = await Promise.all([get(plural), get(singular), get(short), get(plural.toUpperCase())]);
    for (const run of runs) {
      expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(shown);
    }
    expect(new Set(runs.map((r) => r.stdout.replace(/\d+s ago/g, '')))).toHaveProperty('size', 1);
  });

  it('prints the generated enum names in tables and JSON', async () => {
    const [endpoints, statuses] = await Promise.all([get('endpoints'), get('peers', '-o', 'json')]);
    expect(endpoints.stdout).toMatch(/^ID\s+VERSION\s+ENDPOINT\s+SOURCE\s+ORDER\n192\.0\.2\.1:51820\s+1\s+192\.0\.2\.1:51820\s+reflected\s+0\n$/);
    expect(JSON.parse(statuses.stdout)).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ id: KEY_B }), spec: expect.objectContaining({ state: 'up', label: 'cloud1' }) }),
    ]);
  });

  it('shows one resource by id, and fails with exit 1 for an id it does not have', async () => {
    const [one, json, missing] = await Promise.all([get('kubespanpeerstatus', KEY_B), get('peerstatus', KEY_B, '--json'), get('peerstatus', 'nope')]);
    expect(one.code).toBe(0);
    expect(one.stdout.trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ metadata: { id: KEY_B }, spec: { label: 'cloud1' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/peerstatuses 'nope' not found/);
    expect(missing.stdout).toBe('');
  });

  it('refuses an unknown type with exit 2, listing the accepted names', async () => {
    const run = await get('kubespanwidgets');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown resource type 'kubespanwidgets'/);
    for (const name of ['kubespanidentities', 'kubespanpeerspecs', 'kubespanpeerstatuses', 'kubespanendpoints', 'health', 'config'])
      expect(run.stderr).toContain(name);
    expect((await get('peers', 'a', 'b')).code).toBe(2);
    expect((await get('peers', '-o', 'xml')).stderr).toMatch(/-o\/--output: 'xml'/);
  });

  it('reads a remote agent over mutual TLS and adds its NODE column', async () => {
    const run = await runAgent(['get', 'kubespanpeerstatuses', '-o', 'wide', ...tcp]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^NODE\s+ID\s+VERSION\s+LABEL.*\s+UPDATED\s+ENDPOINT CHANGED\s+REASON\n127\.0\.0\.1:\d+\s+\S+\s+1\s+cloud1\s/);
  });
});

describe('spanwise-agent get -w', () => {
  it('streams a table with the event column, and Ctrl-C ends it with 0', async () => {
    const watch = new AgentStream(['get', 'kubespanpeerstatuses', '-w', '--socket', socket]);
    await watch.until(/^\*\s+ID\s+VERSION\s+LABEL.*\n\+\s+\S+\s+1\s+cloud1\s/);
    store.upsert(PeerStatusKind, KEY_B, peer('cloud1', KEY_B, PeerState.PEER_STATE_DOWN));
    store.upsert(PeerStatusKind, KEY_C, peer('dc1', KEY_C));
    await watch.until(/\n\*\s+\S+\s+2\s+cloud1\s+\S+\s+down\s[^\n]*\n\+\s+\S+\s+1\s+dc1\s+\S+\s+up\s/);
    store.delete(PeerStatusKind, KEY_C);
    await watch.until(/\n-\s+\S+\s+1\n$/);
    watch.child.kill('SIGINT');
    expect(await watch.exited).toEqual({ code: 0, signal: null });
    expect(watch.stderr).toBe('');
  });

  it('prints one JSON document per event, following one resource by id', async () => {
    store.upsert(PeerStatusKind, KEY_B, peer('cloud1', KEY_B, PeerState.PEER_STATE_DOWN));
    const watch = new AgentStream(['get', 'peerstatus', KEY_B, '-w', '-o', 'json', '--socket', socket]);
    await watch.until(/"event":"created"/);
    store.upsert(PeerStatusKind, KEY_B, peer('cloud1', KEY_B, PeerState.PEER_STATE_UP));
    store.upsert(PeerStatusKind, KEY_C, peer('dc1', KEY_C));
    await watch.until(/"event":"updated"/);
    watch.child.kill('SIGINT');
    expect((await watch.exited).code).toBe(0);
    const events = watch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; metadata: { id: string }; spec: { state?: string } });
    expect(events.map((e) => [e.event, e.metadata.id, e.spec.state])).toEqual([
      ['created', KEY_B, 'down'],
      ['updated', KEY_B, 'up'],
    ]);
  });
});
