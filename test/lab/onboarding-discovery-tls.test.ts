import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptMembers, DiscoveryClient } from '../../agent/discovery/client/index.js';
import { clusterKey } from '../../agent/shared/affiliate-crypto.js';
import { onboardLab, pairsUp, pairsWith, waitForStatus, type LabCluster } from './diagnosis/lab-cluster.js';
import { labExec } from './index.js';
import { useLab } from './use-lab.js';

/**
 * Discovery placed on a node (the default placement) serves TLS with a certificate of the
 * cluster CA: every agent registers over it, verifying it, and nothing answers in plaintext.
 */
const lab = useLab('all-open');
const nodes = ['cloud1', 'cloud2', 'cloud3'];
let cluster: LabCluster;

beforeAll(async () => {
  cluster = await onboardLab(lab.status);
}, 180_000);
afterAll(() => cluster?.close());

describe('discovery on a node, over TLS from the cluster CA', () => {
  const endpoint = () => `${lab.host('cloud1').ssh.host}:3000`;
  const secrets = () => cluster.services.clusters.secretsOf('lab');

  it('writes the https URL and the cluster CA into every agent config', async () => {
    for (const node of nodes) {
      const config = (await labExec(node, 'cat /etc/spanwise/agent.yaml')).stdout;
      expect(config).toContain(`- https://${endpoint()}`);
      expect(config).toMatch(/clusterCa:\n\s+file: \/etc\/spanwise\/tls\/ca\.crt/);
      expect(config).not.toContain('http://');
    }
    const files = (await labExec('cloud1', 'stat -c "%n %a" /etc/spanwise/tls/discovery.key /etc/spanwise/tls/discovery.crt')).stdout;
    expect(files).toBe('/etc/spanwise/tls/discovery.key 600\n/etc/spanwise/tls/discovery.crt 644\n');
  });

  it('has every agent registered over TLS: a client verifying against the cluster CA lists all three', async () => {
    const client = new DiscoveryClient({ endpoint: endpoint(), ca: Buffer.from(secrets().ca.certPem), timeoutMs: 5000 });
    try {
      let names: string[] = [];
      for (let i = 0; i < 40 && names.length < nodes.length; i += 1) {
        names = decryptMembers(clusterKey(secrets().secret), await client.list(secrets().clusterId))
          .filter((m) => m.status === 'ok')
          .map((m) => m.nodename || m.hostname)
          .sort();
        if (names.length < nodes.length) await new Promise((r) => setTimeout(r, 500));
      }
      expect(names).toEqual(nodes);
    } finally {
      client.close();
    }
    const members = await cluster.services.members.members('lab');
    expect(members.discovery).toBe(`https://${endpoint()}`);
    expect(members.members.map((m) => m.machine).sort()).toEqual(nodes);
  });

  it('does not answer plaintext h2c, and its certificate is refused without the cluster CA', async () => {
    const plain = new DiscoveryClient({ endpoint: endpoint(), insecure: true, timeoutMs: 3000 });
    const systemRoots = new DiscoveryClient({ endpoint: endpoint(), timeoutMs: 3000 });
    try {
      await expect(plain.list(secrets().clusterId)).rejects.toThrow();
      await expect(systemRoots.list(secrets().clusterId)).rejects.toThrow();
    } finally {
      plain.close();
      systemRoots.close();
    }
  });

  it('brings every pair up', async () => {
    const status = await waitForStatus(cluster.services, pairsUp(pairsWith(nodes, nodes)));
    expect(pairsUp(pairsWith(nodes, nodes))(status)).toBe(true);
    for (const node of status.nodes) expect(node.agent.reachable).toBe(true);
  });
});
