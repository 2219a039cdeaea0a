import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import { deriveNodeAddressing } from '../../agent/lib/ula.js';
import { clusterKey, sealAffiliate, sealEndpoint } from '../../agent/shared/affiliate-crypto.js';
import { VERSION } from '../../agent/shared/version.js';
import type { ClusterMembers } from '../../electron/contract/clusters.js';
import type { DiagnosisReport } from '../../electron/contract/diagnosis.js';
import type { ClusterStatus } from '../../electron/contract/status.js';
import { spanwise } from '../support/spanwise-cli.js';
import { onboardLab, pairsUp, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

/**
 * A foreign KubeSpan node beside two Spanwise nodes: cloud3 runs no Spanwise agent; the test plays Talos
 * there with wireguard-go and wg, from what `cluster talos-patch` printed (its own key, the ULA from the
 * cluster id and its MAC, the secret as PSK), and publishes the affiliate it sealed itself.
 */
const lab = useLab('all-open');
const NAME = 'talos-cp1';
const OS = 'Talos (v1.9.2)';
let cluster: LabCluster;
/** The parts of the talos-patch documents the foreign node is configured from. */
type TalosPatchDocument = { cluster?: { id: string; secret: string; discovery: { registries: { service: { endpoint: string } } } }; certificates?: string };
let ula = '';
let publicKey = '';

const json = async <T>(args: string[]): Promise<{ code: number; value: T }> => {
  const r = await spanwise(cluster.dataDir, args);
  return { code: r.code, value: JSON.parse(r.stdout) as T };
};

/** Brings up the foreign node's WireGuard link on cloud3 towards the Spanwise nodes; the secret goes in on stdin only. */
async function startForeignNode(clusterId: string, secret: string, peers: Array<{ key: string; address: string; endpoint: string }>): Promise<void> {
  const host = lab.host('cloud3');
  ula = deriveNodeAddressing(clusterId, host.mac).address;
  const setPeers = peers.map(
    (p) => `wg set kubespan peer ${p.key} preshared-key psk endpoint ${p.endpoint} allowed-ips ${p.address}/128 persistent-keepalive 25`,
  );
  const script = [
    'set -e; umask 077; mkdir -p /run/talos; cd /run/talos; cat > psk; wg genkey > key',
    'wireguard-go kubespan; wg set kubespan private-key key listen-port 51820',
    ...setPeers,
    `ip -6 addr add ${ula}/64 dev kubespan; ip link set kubespan mtu 1420 up; wg pubkey < key`,
  ].join('\n');
  publicKey = (await labExec('cloud3', ['bash', '-c', script], { input: `${secret}\n` })).stdout.trim();
}

beforeAll(async () => {
  cluster = await onboardLab({ ...lab.status, hosts: lab.status.hosts.filter((h) => h.name !== 'cloud3') });
  const spanwiseNodes = await waitForStatus(cluster.services, pairsUp([['cloud1', 'cloud2']]));
  const file = join(dirname(cluster.dataDir), 'talos-patch.yaml');
  expect((await spanwise(cluster.dataDir, ['cluster', 'talos-patch', 'lab', '-o', file])).code).toBe(0);
  const [main, roots] = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as TalosPatchDocument);
  const { id, secret, discovery } = main?.cluster ?? { id: '', secret: '', discovery: { registries: { service: { endpoint: '' } } } };
  await startForeignNode(
    id,
    secret,
    spanwiseNodes.nodes.map((n) => ({ key: n.publicKey ?? '', address: n.address ?? '', endpoint: `${lab.host(n.name).publicAddress}:51820` })),
  );
  const url = new URL(discovery.registries.service.endpoint);
  const client = new DiscoveryClient({
    endpoint: url.host,
    insecure: url.protocol === 'http:',
    ...(roots ? { ca: Buffer.from(roots.certificates as string) } : {}),
  });
  const key = clusterKey(secret);
  const nodeId = randomBytes(32).toString('base64url');
  const address = lab.host('cloud3').publicAddress as string;
  const info = { nodeId, addresses: [address], hostname: NAME, nodename: NAME, machineType: 'controlplane', operatingSystem: OS };
  const data = sealAffiliate(key, { ...info, kubespan: { publicKey, address: ula, additionalAddresses: [], excludeAdvertisedAddresses: [] } });
  await client.update({ clusterId: id, affiliateId: nodeId, data, endpoints: [sealEndpoint(key, `${address}:51820`)], ttlMs: 30 * 60_000 });
  client.close();
  const seen = (s: ClusterStatus) => s.nodes.find((n) => n.name === NAME)?.seenBy?.filter((v) => v.state === 'up').length === 2;
  await waitForStatus(cluster.services, seen);
}, 240_000);
afterAll(() => cluster?.close());

describe('a foreign KubeSpan node that Spanwise does not manage', () => {
  it('peers with the Spanwise agents: handshakes on both peers, and ping both ways over the ULAs', async () => {
    const handshakes = (await labExec('cloud3', 'wg show kubespan latest-handshakes')).stdout.trim().split('\n');
    expect(handshakes).toHaveLength(2);
    for (const line of handshakes) expect(Number(line.split(/\s+/)[1])).toBeGreaterThan(0);
    const cloud1 = (await cluster.services.status.status()).nodes.find((n) => n.name === 'cloud1');
    expect((await labExec('cloud3', `ping -6 -c 1 -W 5 ${cloud1?.address}`, { allowFailure: true })).code).toBe(0);
    expect((await labExec('cloud1', `ping -6 -c 1 -W 5 ${ula}`, { allowFailure: true })).code).toBe(0);
  });

  it('is a not-managed node of the mesh view: its column up, its own row unknown', () => {
    const view = cluster.services.mesh.snapshot();
    expect(view.nodes.map((n) => [n.name, n.managed])).toEqual([
      ['cloud1', true],
      ['cloud2', true],
      [NAME, false],
    ]);
    expect([view.cells[2], view.cells[5]]).toEqual([1, 1]);
    expect(view.cells.slice(6, 8)).toEqual([0, 0]);
    expect(cluster.services.mesh.pair('cloud1', NAME, 5)).toMatchObject({ state: 'up', endpoint: `${lab.host('cloud3').publicAddress}:51820` });
  });

  it('status --json shows it as not managed, seen up by both Spanwise nodes, and exits 0: its unknown row is no problem', async () => {
    const { code, value } = await json<ClusterStatus>(['status', '--json']);
    expect(value.nodes.find((n) => n.name === NAME)).toMatchObject({ managed: false, publicKey, peers: [], agent: { reachable: false } });
    expect(value.nodes.find((n) => n.name === NAME)?.seenBy?.map((s) => [s.node, s.state])).toEqual([
      ['cloud1', 'up'],
      ['cloud2', 'up'],
    ]);
    expect(value.nodes.find((n) => n.name === 'cloud1')?.peers.find((p) => p.publicKey === publicKey)).toMatchObject({ name: NAME, state: 'up' });
    expect(code).toBe(0);
  });

  it('cluster members shows its OS and version as published, and the Spanwise nodes as their agents publish theirs', async () => {
    const { value } = await json<ClusterMembers>(['cluster', 'members', '-o', 'json']);
    expect(value.members.find((m) => m.publicKey === publicKey)).toMatchObject({ nodename: NAME, machine: null, operatingSystem: OS, meshAddress: ula });
    expect(value.members.find((m) => m.machine === 'cloud1')?.operatingSystem).toBe(`Linux (Spanwise v${VERSION})`);
    expect((await spanwise(cluster.dataDir, ['cluster', 'members'])).stdout).toMatch(new RegExp(`${NAME} +- +Talos \\(v1\\.9\\.2\\)`));
  });

  it('diagnose --json judges it from the Spanwise side and says what it cannot see', async () => {
    const { value } = await json<DiagnosisReport>(['diagnose', '--json']);
    expect(value.notManaged).toEqual([
      {
        name: NAME,
        publicKey,
        endpoints: [`${lab.host('cloud3').publicAddress}:51820`],
        seenBy: [
          { node: 'cloud1', state: 'up' },
          { node: 'cloud2', state: 'up' },
        ],
        note: 'the other side is not managed by Spanwise; its own firewall and view are unknown',
      },
    ]);
    expect(value.matrix.udp51820['cloud1']?.[NAME]).toBe('open');
    expect(value.matrix.tcp50000['cloud1']?.[NAME]).toBe('unknown');
    const aboutIt = value.findings.filter((f) => f.nodes.includes(NAME));
    expect(aboutIt.filter((f) => f.severity !== 'info').map((f) => f.code)).toEqual([]);
    expect(aboutIt.flatMap((f) => f.remediation.hostFixes)).toEqual([]);
  });
});
