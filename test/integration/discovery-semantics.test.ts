import { Metadata } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { HelloRequest, HelloResponse, type ClusterClient } from '../../proto/gen/sidero/discovery/server/cluster.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { codeOf, rawClient, rawUnary, startTestServer, ttl, WatchCollector } from './discovery-helpers.js';

const C = 'cluster-a';
const blob = (n: number) => Buffer.alloc(16, n);
let server: DiscoveryServer;
let client: ClusterClient;

async function setup(options = {}) {
  const started = await startTestServer(options);
  server = started.server;
  client = rawClient(server);
  return started.clock;
}

afterEach(async () => {
  client?.close();
  await server?.stop();
});

const update = (affiliateId: string, data: Buffer | undefined, endpoints: Buffer[], seconds = 60) =>
  codeOf((cb) => client.affiliateUpdate({ clusterId: C, affiliateId, affiliateData: data, affiliateEndpoints: endpoints, ttl: ttl(seconds) }, cb));
const list = () =>
  new Promise<{ id: string; data: Buffer; endpoints: Buffer[] }[]>((res, rej) => client.list({ clusterId: C }, (e, r) => (e ? rej(e) : res(r.affiliates))));

describe('discovery service semantics over gRPC', () => {
  it('Hello reflects the caller address as 4 raw bytes, from whichever local address it uses', async () => {
    await setup();
    const hello = await new Promise<HelloResponse>((res, rej) => client.hello({ clusterId: C, clientVersion: 'test' }, (e, r) => (e ? rej(e) : res(r))));
    expect(hello.clientIp.toString('hex')).toBe('7f000001');
    expect(hello.redirect).toBeUndefined();
    const raw = await rawUnary(
      server.port,
      '127.0.0.2',
      '/sidero.discovery.server.Cluster/Hello',
      HelloRequest.encode({ clusterId: C, clientVersion: 'x' }).finish(),
    );
    expect(raw.status).toBe(0);
    expect(HelloResponse.decode(raw.body).clientIp.toString('hex')).toBe('7f000002');
  });

  it('ignores proxy headers unless --trust-proxy, then uses them', async () => {
    await setup();
    const meta = new Metadata();
    meta.set('x-real-ip', '203.0.113.7');
    meta.set('x-forwarded-for', '198.51.100.1');
    const ask = () => new Promise<HelloResponse>((res, rej) => client.hello({ clusterId: C, clientVersion: '' }, meta, (e, r) => (e ? rej(e) : res(r))));
    expect((await ask()).clientIp.toString('hex')).toBe('7f000001');
    client.close();
    await server.stop();
    await setup({ trustProxy: true, redirect: 'discovery.example.org:443' });
    const trusted = await ask();
    expect(trusted.clientIp.toString('hex')).toBe('cb007107');
    expect(trusted.redirect?.endpoint).toBe('discovery.example.org:443');
    const v6 = new Metadata();
    v6.set('x-forwarded-for', '10.0.0.1, 2001:db8::9');
    const hello = await new Promise<HelloResponse>((res, rej) => client.hello({ clusterId: C, clientVersion: '' }, v6, (e, r) => (e ? rej(e) : res(r))));
    expect(hello.clientIp.toString('hex')).toBe('20010db8000000000000000000000009');
  });

  it('data replaces, endpoints merge by exact bytes (repeats in one update stored once), endpoint-only affiliates exist', async () => {
    await setup();
    expect(await update('a', Buffer.from('one'), [blob(1)])).toBe(0);
    expect(await update('a', Buffer.from('two'), [blob(2), blob(1)])).toBe(0);
    expect(await update('a', undefined, [blob(3), blob(3), blob(2)])).toBe(0);
    expect(await update('b', undefined, [blob(9)])).toBe(0);
    const affiliates = await list();
    const a = affiliates.find((x) => x.id === 'a');
    expect(a?.data.toString()).toBe('two');
    expect(a?.endpoints.map((e) => e[0])).toEqual([1, 2, 3]);
    const b = affiliates.find((x) => x.id === 'b');
    expect(b?.data.length).toBe(0);
    expect(b?.endpoints).toHaveLength(1);
  });

  it('Watch: first message is the whole state even when empty; then full upserts and id-only deletes', async () => {
    await setup();
    const empty = new WatchCollector(client.watch({ clusterId: C }));
    expect((await empty.next()).affiliates).toEqual([]);
    await update('a', Buffer.from('d1'), [blob(1)]);
    const up = await empty.next();
    expect(up.deleted).toBe(false);
    expect(up.affiliates).toEqual([{ id: 'a', data: Buffer.from('d1'), endpoints: [blob(1)] }]);
    await update('a', undefined, [blob(2)]);
    expect((await empty.next()).affiliates[0]).toEqual({ id: 'a', data: Buffer.from('d1'), endpoints: [blob(1), blob(2)] });
    const late = new WatchCollector(client.watch({ clusterId: C }));
    expect((await late.next()).affiliates.map((a) => a.id)).toEqual(['a']);
    expect(await codeOf((cb) => client.affiliateDelete({ clusterId: C, affiliateId: 'a' }, cb))).toBe(0);
    for (const w of [empty, late]) {
      const del = await w.next();
      expect(del.deleted).toBe(true);
      expect(del.affiliates).toEqual([{ id: 'a', data: Buffer.alloc(0), endpoints: [] }]);
    }
    empty.close();
    late.close();
  });

  it('a refresh that changes nothing extends TTLs without notifying', async () => {
    const clock = await setup();
    const w = new WatchCollector(client.watch({ clusterId: C }));
    await w.next();
    await update('a', Buffer.from('d'), [blob(1)], 60);
    await w.next();
    clock.advance(50_000);
    await update('a', Buffer.from('d'), [blob(1)], 60);
    await update('a', Buffer.from('d2'), [], 60);
    expect((await w.next()).affiliates[0]?.data.toString()).toBe('d2');
    clock.advance(50_000);
    server.gc();
    expect((await list()).map((a) => a.endpoints.length)).toEqual([1]);
    w.close();
  });

  it('GC: expired endpoints send the updated affiliate, an affiliate with nothing left is deleted', async () => {
    const clock = await setup();
    const w = new WatchCollector(client.watch({ clusterId: C }));
    await w.next();
    await update('a', Buffer.from('d'), [blob(1)], 120);
    await update('a', undefined, [blob(2)], 30);
    await w.until((m) => m.affiliates[0]?.endpoints.length === 2);
    clock.advance(31_000);
    server.gc();
    const partial = await w.next();
    expect(partial.deleted).toBe(false);
    expect(partial.affiliates[0]).toEqual({ id: 'a', data: Buffer.from('d'), endpoints: [blob(1)] });
    clock.advance(90_000);
    server.gc();
    const gone = await w.next();
    expect(gone).toEqual({ deleted: true, affiliates: [{ id: 'a', data: Buffer.alloc(0), endpoints: [] }] });
    expect(await list()).toEqual([]);
    expect(server.stats()).toMatchObject({ affiliates: 0, endpoints: 0 });
    w.close();
  });

  it('data expiring before the endpoints leaves an endpoint-only affiliate', async () => {
    const clock = await setup();
    await update('a', Buffer.from('d'), [], 10);
    await update('a', undefined, [blob(1)], 100);
    clock.advance(20_000);
    server.gc();
    expect(await list()).toEqual([{ id: 'a', data: Buffer.alloc(0), endpoints: [blob(1)] }]);
  });

  it('List and a new Watch never show what already expired, even before GC runs', async () => {
    const clock = await setup();
    await update('a', Buffer.from('d'), [], 10);
    clock.advance(11_000);
    expect(await list()).toEqual([]);
    const w = new WatchCollector(client.watch({ clusterId: C }));
    expect((await w.next()).affiliates).toEqual([]);
    w.close();
  });
});
