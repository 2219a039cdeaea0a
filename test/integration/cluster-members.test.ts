import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import { clusterKey, sealAffiliate, sealEndpoint, type AffiliateInfo } from '../../agent/shared/affiliate-crypto.js';
import { createServices, type Services } from '../../electron/services/index.js';
import { spanwise } from '../support/spanwise-cli.js';
import { startTestServer } from './discovery-helpers.js';

const member = (hostname: string, os: string, n: number): AffiliateInfo => ({
  nodeId: `node-${n}`,
  addresses: [`10.0.0.${n}`],
  hostname,
  nodename: hostname.split('.')[0] as string,
  machineType: 'controlplane',
  operatingSystem: os,
  kubespan: { publicKey: randomBytes(32).toString('base64'), address: `fd7f:175a:b97c:5602::${n}`, additionalAddresses: [], excludeAdvertisedAddresses: [] },
});

describe('cluster members from the discovery service', () => {
  let services: Services;
  let stop: () => Promise<void>;
  let discoveryPort: number;
  let dataDir: string;

  beforeAll(async () => {
    const { server } = await startTestServer();
    stop = () => server.stop();
    discoveryPort = server.port;
    dataDir = join(mkdtempSync(join(tmpdir(), 'spanwise-members-')), 'data');
    services = createServices({ mode: 'web', dataDir });
    await services.clusters.create('mixed', { mode: 'url', url: `http://127.0.0.1:${discoveryPort}` });
    services.machines.add({ name: 'cloud1', ssh: { user: 'root', host: '198.18.1.10' }, auth: { identityFile: '/dev/null' }, site: 'cloud' });
    const { clusterId, secret } = services.clusters.secretsOf('mixed');
    const key = clusterKey(secret);
    const client = new DiscoveryClient({ endpoint: `127.0.0.1:${discoveryPort}`, insecure: true });
    const publish = (id: string, data: Buffer, endpoints: Buffer[] = []) => client.update({ clusterId, affiliateId: id, data, endpoints, ttlMs: 600_000 });
    await publish('a-cloud1', sealAffiliate(key, member('cloud1.example.internal', 'Linux (Spanwise agent)', 1)), [sealEndpoint(key, '198.18.1.10:51820')]);
    await publish('a-talos', sealAffiliate(key, member('talos-cp-1', 'Talos (v1.9.0)', 2)), [
      sealEndpoint(key, '203.0.113.7:51820'),
      sealEndpoint(key, '[2001:db8::7]:51820'),
    ]);
    const odd = member('bad\u0007name\nhost', 'x', 3);
    await publish('a-odd', sealAffiliate(key, { ...odd, kubespan: { ...(odd.kubespan as NonNullable<AffiliateInfo['kubespan']>), address: '192.0.2.9' } }));
    await publish('a-other-secret', sealAffiliate(clusterKey(randomBytes(32).toString('base64')), member('intruder', 'Linux', 4)));
    client.close();
  });
  afterAll(async () => {
    services?.close();
    await stop?.();
  });

  it('lists every member, decrypted here, and marks the ones this inventory onboarded', async () => {
    const result = await services.members.members();
    expect(result).toMatchObject({ cluster: 'mixed', discovery: `http://127.0.0.1:${discoveryPort}` });
    const byName = new Map(result.members.map((m) => [m.nodename || m.hostname || m.status, m]));
    expect(result.members[0]?.machine).toBe('cloud1');
    expect(byName.get('cloud1')).toMatchObject({ status: 'ok', machine: 'cloud1', endpoints: ['198.18.1.10:51820'], meshAddress: 'fd7f:175a:b97c:5602::1' });
    expect(byName.get('talos-cp-1')).toMatchObject({
      status: 'ok',
      machine: null,
      operatingSystem: 'Talos (v1.9.0)',
      endpoints: ['203.0.113.7:51820', '[2001:db8::7]:51820'],
    });
    expect(byName.get('talos-cp-1')?.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(byName.get('undecryptable')).toMatchObject({ machine: null, hostname: '', publicKey: null });
  });

  it('keeps what other members published to one printable line and drops a mesh address that is not IPv6', async () => {
    const odd = (await services.members.members('mixed')).members.find((m) => m.hostname.startsWith('bad'));
    expect(odd).toMatchObject({ hostname: 'bad?name?host', meshAddress: null, machine: null });
  });

  it('prints them from the CLI as a table and as JSON', async () => {
    const tableRun = await spanwise(dataDir, ['cluster', 'members', 'mixed']);
    expect(tableRun.code).toBe(0);
    expect(tableRun.stdout).toMatch(/^4 member\(s\) of mixed/);
    expect(tableRun.stdout).toMatch(/\ntalos-cp-1\s+-\s+Talos \(v1\.9\.0\)\s+fd7f:175a:b97c:5602::2\s+203\.0\.113\.7:51820,\[2001:db8::7\]:51820\n/);
    const jsonRun = await spanwise(dataDir, ['cluster', 'members', '--json']);
    expect((JSON.parse(jsonRun.stdout) as { members: { machine: string | null }[] }).members.map((m) => m.machine)).toEqual(['cloud1', null, null, null]);
    expect(`${tableRun.stdout}${jsonRun.stdout}`).not.toContain(services.clusters.secretsOf('mixed').secret);
  });

  it('says which discovery service did not answer, and how to fix it', async () => {
    await services.clusters.create('nowhere', { mode: 'url', url: 'http://127.0.0.1:1' });
    await expect(services.members.members('nowhere')).rejects.toMatchObject({
      code: 'DISCOVERY_UNREACHABLE',
      message: expect.stringContaining('http://127.0.0.1:1') as string,
    });
  });
});
