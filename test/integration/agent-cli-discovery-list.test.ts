import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryClient } from '../../agent/discovery/client/index.js';
import type { DiscoveryServer } from '../../agent/discovery/server/index.js';
import { clusterKey, sealAffiliate, sealEndpoint } from '../../agent/shared/affiliate-crypto.js';
import { AGENT_BIN, runAgent, type AgentRun } from './agent-cli-helpers.js';
import { startTestServer } from './discovery-helpers.js';

const CLUSTER = 'agent-cli-cluster';
const secret = randomBytes(32).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'spanwise-secret-'));
let server: DiscoveryServer;
let list: string[];
/** The environment without any secret of the caller's own. */
const { SPANWISE_CLUSTER_SECRET: _unused, ...baseEnv } = process.env;

const secretFile = (name: string, content: string, mode: number) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
};

beforeAll(async () => {
  ({ server } = await startTestServer());
  const client = new DiscoveryClient({ endpoint: server.address, insecure: true });
  const key = clusterKey(secret);
  const info = {
    nodeId: 'node-1',
    addresses: ['10.0.0.1'],
    hostname: 'edge1',
    nodename: 'edge1',
    machineType: 'worker',
    operatingSystem: 'Debian GNU/Linux 12',
  };
  await client.update({
    clusterId: CLUSTER,
    affiliateId: 'node-1',
    data: sealAffiliate(key, info),
    endpoints: [sealEndpoint(key, '10.0.0.1:51820')],
    ttlMs: 60_000,
  });
  client.close();
  list = ['discovery', 'list', '--endpoint', server.address, '--insecure', '--cluster-id', CLUSTER];
});

afterAll(async () => {
  await server.stop();
});

const noSecret = (run: AgentRun) => expect(run.stdout + run.stderr).not.toContain(secret);

describe('spanwise-agent discovery list: the cluster secret', () => {
  it('comes from SPANWISE_CLUSTER_SECRET', async () => {
    const [table, json] = await Promise.all([
      runAgent(list, { ...baseEnv, SPANWISE_CLUSTER_SECRET: secret }),
      runAgent([...list, '-o', 'json'], { ...baseEnv, SPANWISE_CLUSTER_SECRET: secret }),
    ]);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/node-1\s+edge1\s+worker/);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ affiliateId: 'node-1', hostname: 'edge1', endpoints: ['10.0.0.1:51820'] })]);
    noSecret(table);
    noSecret(json);
  });

  it('comes from a 0600 file, or a pipe, and a file others can read is refused', async () => {
    const good = await runAgent([...list, '--cluster-secret-file', secretFile('good', `${secret}\n`, 0o600), '-o', 'json'], baseEnv);
    expect(good.stderr).toBe('');
    expect(JSON.parse(good.stdout)).toHaveLength(1);
    const piped = await new Promise<AgentRun>((resolve) => {
      const script = `exec "${process.execPath}" "${AGENT_BIN}" ${list.join(' ')} --cluster-secret-file <(printf '%s' "$S") -o json`;
      execFile('bash', ['-c', script], { env: { ...baseEnv, S: secret } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    expect(piped.stderr).toBe('');
    expect(JSON.parse(piped.stdout)).toHaveLength(1);
    const open = await runAgent([...list, '--cluster-secret-file', secretFile('open', secret, 0o644)], baseEnv);
    expect(open.code).toBe(1);
    expect(open.stderr).toMatch(/others can read or change it \(mode 0644\)/);
    expect(open.stderr).toMatch(/chmod 600/);
    noSecret(open);
  });

  it('is checked for 32 bytes of base64, naming where it came from', async () => {
    const short = await runAgent(list, { ...baseEnv, SPANWISE_CLUSTER_SECRET: 'c2hvcnQ=' });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/environment variable SPANWISE_CLUSTER_SECRET: cluster secret must be 32 bytes in base64 \(got 5 bytes\)/);
    expect(short.stderr).not.toContain('c2hvcnQ=');
    const big = await runAgent([...list, '--cluster-secret-file', secretFile('big', 'A'.repeat(5000), 0o600)], baseEnv);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/larger than 4096 bytes/);
    const missing = await runAgent(list, baseEnv);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/environment variable SPANWISE_CLUSTER_SECRET is not set/);
    const both = await runAgent([...list, '--cluster-secret-env', 'S', '--cluster-secret-file', secretFile('both', secret, 0o600)], baseEnv);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it('is refused on the command line, without echoing it', async () => {
    const run = await runAgent([...list, '--cluster-secret', secret], { ...baseEnv, SPANWISE_CLUSTER_SECRET: secret });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--cluster-secret is not accepted/);
    expect(run.stderr).toMatch(/SPANWISE_CLUSTER_SECRET/);
    expect(run.stdout).toBe('');
    noSecret(run);
  });
});
