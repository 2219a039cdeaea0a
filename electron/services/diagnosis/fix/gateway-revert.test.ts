import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayPlan } from './gateway-plan.js';
import { revertGatewayFix } from './gateway-revert.js';
import { runAllScript } from './revert-guard.js';

/** dc-gw of the hybrid lab, as `nft -j list ruleset` prints it. */
const ruleset = readFileSync(new URL('./dc-gw-ruleset.json', import.meta.url), 'utf8');
const forward = { node: 'dc1', protocol: 'udp', port: 51820, publicAddress: '198.18.2.1', nodeAddress: '198.19.2.10' } as const;

/** A network namespace of this test's own (held open by a sleeping process), with a root shell in it. */
let holder: ChildProcess;
const shell = {
  exec: (script: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('nsenter', ['-t', String(holder.pid), '-n', 'sh', '-c', script], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    }),
};
const netnsOf = (pid: number | undefined) => readlink(`/proc/${pid}/ns/net`).catch(() => '');
beforeAll(async () => {
  holder = spawn('unshare', ['-n', 'sleep', '120'], { stdio: 'ignore' });
  const own = readlinkSync('/proc/self/ns/net');
  for (let i = 0; i < 100 && (await netnsOf(holder.pid)) === own; i += 1) await new Promise((r) => setImmediate(r));
  expect(await netnsOf(holder.pid)).not.toBe(own);
});
afterAll(() => holder.kill());

describe('revertGatewayFix', () => {
  it("removes the gateway table and the tagged forward accept by their live handles, leaving the gateway's own rules", async () => {
    const plan = gatewayPlan(forward, { publicLink: 'wan', nftRuleset: ruleset });
    if ('refusal' in plan) throw new Error(plan.refusal);
    const load = await shell.exec(`nft -j -f - <<'EOF'\n${ruleset}\nEOF\nnft list ruleset`);
    expect(load.code).toBe(0);
    expect((await shell.exec(runAllScript(plan.apply))).code).toBe(0);
    const result = await revertGatewayFix('dc1', 'gw-udp-51820', shell);
    expect(result).toMatchObject({ node: 'dc1', fixId: 'gw-udp-51820', reverted: true });
    expect(result?.changes.map((c) => c.what)).toEqual(['table ip spanwise-gw', expect.stringMatching(/^rule inet filter forward handle \d+$/)]);
    expect((await shell.exec('nft list ruleset')).stdout).toBe(load.stdout);
    expect(await revertGatewayFix('dc1', 'gw-udp-51820', shell)).toBeNull();
  });

  it('refuses an id that is not a gateway fix id before touching the gateway', async () => {
    await expect(revertGatewayFix('dc1', 'udp-51820; reboot', shell)).rejects.toThrow("fixId 'udp-51820; reboot' is not a gateway fix id");
  });
});
