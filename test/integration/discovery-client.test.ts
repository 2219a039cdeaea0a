import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterKey, openAffiliate, openEndpoint, sealAffiliate, sealEndpoint, type AffiliateInfo } from '../../agent/shared/affiliate-crypto.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { DiscoveryClient, decryptMembers } from '../../agent/discovery/client/index.js';
import { startTestServer } from './discovery-helpers.js';

const run = promisify(execFile);
const C = 'AbCdEfGh-cluster-id';
const secret = randomBytes(32).toString('base64');
const key = clusterKey(secret);
let server: DiscoveryServer;

afterEach(async () => {
  await server?.stop();
});

const node = (n: number): AffiliateInfo => ({
  nodeId: `node-${n}`,
  addresses: [`10.0.0.${n}`, `2001:db8::${n}`],
  hostname: `host-${n}`,
  nodename: `host-${n}`,
  machineType: n === 1 ? 'controlplane' : 'worker',
  operatingSystem: 'Debian GNU/Linux 12',
  kubespan: {
    publicKey: Buffer.alloc(32, n).toString('base64'),
    address: `fd7f:175a:b97c:5602::${n}`,
    additionalAddresses: [`10.244.${n}.0/24`],
    excludeAdvertisedAddresses: [],
  },
});

describe('agent discovery client with the server', () => {
  it('two members publish encrypted affiliates and see each other through a watch', async () => {
    ({ server } = await startTestServer());
    const a = new DiscoveryClient({ endpoint: server.address, insecure: true });
    const b = new DiscoveryClient({ endpoint: server.address, insecure: true });
    expect(await a.hello(C)).toEqual({ clientIp: '127.0.0.1', redirect: undefined });
    const seen = new Map<string, string[]>();
    let snapshots = 0;
    const session = b.watch(C, {
      snapshot: () => (snapshots += 1),
      upsert: (aff) =>
        seen.set(
          openAffiliate(key, aff.data).hostname,
          aff.endpoints.map((e) => openEndpoint(key, e)),
        ),
      delete: (id) => seen.set(`deleted:${id}`, []),
    });
    await a.update({
      clusterId: C,
      affiliateId: 'node-1',
      data: sealAffiliate(key, node(1)),
      endpoints: [sealEndpoint(key, '203.0.113.1:51820')],
      ttlMs: 1_800_000,
    });
    await a.update({
      clusterId: C,
      affiliateId: 'node-1',
      endpoints: [sealEndpoint(key, '203.0.113.1:51820'), sealEndpoint(key, '[2001:db8::1]:51820')],
      ttlMs: 1_800_000,
    });
    for (let i = 0; i < 200 && seen.get('host-1')?.length !== 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(snapshots).toBe(1);
    expect(seen.get('host-1')).toEqual(['203.0.113.1:51820', '[2001:db8::1]:51820']);
    await a.delete(C, 'node-1');
    for (let i = 0; i < 200 && !seen.has('deleted:node-1'); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(seen.has('deleted:node-1')).toBe(true);
    session.close();
    a.close();
    b.close();
  });

  it('decryptMembers lists undecryptable and endpoint-only members instead of hiding them', async () => {
    ({ server } = await startTestServer());
    const c = new DiscoveryClient({ endpoint: server.address, insecure: true });
    await c.update({ clusterId: C, affiliateId: 'good', data: sealAffiliate(key, node(2)), endpoints: [sealEndpoint(key, '10.0.0.2:51820')], ttlMs: 60_000 });
    await c.update({ clusterId: C, affiliateId: 'foreign', data: sealAffiliate(randomBytes(32), node(3)), ttlMs: 60_000 });
    await c.update({ clusterId: C, affiliateId: 'harvested', endpoints: [sealEndpoint(key, '198.51.100.4:51820')], ttlMs: 60_000 });
    const members = decryptMembers(key, await c.list(C));
    const byId = Object.fromEntries(members.map((m) => [m.affiliateId, m]));
    expect(byId.good).toMatchObject({ status: 'ok', hostname: 'host-2', endpoints: ['10.0.0.2:51820'], addresses: ['10.0.0.2', '2001:db8::2'] });
    expect(byId.foreign).toMatchObject({ status: 'undecryptable', hostname: '' });
    expect(byId.harvested).toMatchObject({ status: 'no-data', endpoints: ['198.51.100.4:51820'] });
    c.close();
  });

  it('`discovery list` prints JSON and a table, never the secret', async () => {
    ({ server } = await startTestServer());
    const c = new DiscoveryClient({ endpoint: server.address, insecure: true });
    await c.update({ clusterId: C, affiliateId: 'node-1', data: sealAffiliate(key, node(1)), endpoints: [sealEndpoint(key, '10.0.0.1:51820')], ttlMs: 60_000 });
    await c.update({ clusterId: C, affiliateId: 'foreign', data: sealAffiliate(randomBytes(32), node(3)), ttlMs: 60_000 });
    c.close();
    const args = [
      '--import',
      'tsx',
      'agent/cli/entry.ts',
      'discovery',
      'list',
      '--endpoint',
      server.address,
      '--insecure',
      '--cluster-id',
      C,
      '--cluster-secret-env',
      'SW_SECRET',
    ];
    const env = { ...process.env, SW_SECRET: secret };
    const json = await run(process.execPath, [...args, '-o', 'json'], { env });
    const members = JSON.parse(json.stdout) as Record<string, unknown>[];
    const m = members.find((x) => x.affiliateId === 'node-1');
    expect(m).toMatchObject({
      nodeId: 'node-1',
      hostname: 'host-1',
      nodename: 'host-1',
      machineType: 'controlplane',
      operatingSystem: 'Debian GNU/Linux 12',
      addresses: ['10.0.0.1', '2001:db8::1'],
      kubespan: {
        publicKey: Buffer.alloc(32, 1).toString('base64'),
        address: 'fd7f:175a:b97c:5602::1',
        additionalAddresses: ['10.244.1.0/24'],
        excludeAdvertisedAddresses: [],
      },
      endpoints: ['10.0.0.1:51820'],
    });
    expect(members.find((x) => x.affiliateId === 'foreign')).toMatchObject({ status: 'undecryptable' });
    const table = await run(process.execPath, args, { env });
    expect(table.stdout).toMatch(/node-1\s+host-1\s+controlplane/);
    expect(table.stdout).toMatch(/foreign.*undecryptable/);
    for (const out of [json.stdout, json.stderr, table.stdout, table.stderr]) expect(out).not.toContain(secret);
    const bad = await run(process.execPath, args, { env: { ...env, SW_SECRET: 'c2hvcnQ=' } }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/32 bytes/);
    expect(bad.stderr).not.toContain('c2hvcnQ=');
  });
});
