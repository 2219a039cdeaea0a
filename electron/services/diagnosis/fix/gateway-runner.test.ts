import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostFix } from '../../../contract/diagnosis.js';
import { runFix, type FixTarget } from './fix-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-gw-fix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell on this machine: the runner's scripts run for real, on files under `dir` only. */
const localShell = async () => ({
  exec: (script: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('sh', ['-c', script], (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    }),
  close: () => undefined,
});

const gatewayFix = (state: string): HostFix => ({
  node: 'dc1',
  firewall: 'nftables',
  apply: [`echo forwarded > ${state}`, 'echo "@spanwise change runtime added table ip spanwise-gw"'],
  revert: [`rm -f ${state}`, 'echo "@spanwise change runtime removed table ip spanwise-gw"'],
  target: { kind: 'gateway', label: 'gateway dc-gw via jump host', jump: 0, host: '198.18.2.1' },
  forward: { node: 'dc1', protocol: 'udp', port: 51820, publicAddress: '198.18.2.1', nodeAddress: '198.19.2.10' },
});
const target = (recheck: boolean): FixTarget => ({ openShell: localShell, meshHealthy: async () => true, recheck: async () => recheck });

describe('a gateway fix in the fix runner', () => {
  it('is kept when the re-check clears the finding, and names the gateway', async () => {
    const state = join(dir, 'kept');
    const result = await runFix('UDP_51820_INBOUND_BLOCKED:dc1', gatewayFix(state), target(true), { confirmSeconds: 5, stateDir: join(dir, 'g1') });
    expect(result).toMatchObject({
      applied: true,
      reverted: false,
      cleared: true,
      changes: [{ kind: 'runtime', action: 'added', what: 'table ip spanwise-gw' }],
    });
    expect(result.log.join('\n')).toContain('nftables changes on gateway dc-gw via jump host revert by themselves in 5 s unless confirmed');
    expect(existsSync(state)).toBe(true);
  });

  it('is reverted at once when the re-check still finds the block', async () => {
    const state = join(dir, 'reverted');
    const result = await runFix('UDP_51820_INBOUND_BLOCKED:dc1', gatewayFix(state), target(false), { confirmSeconds: 5, stateDir: join(dir, 'g2') });
    expect(result).toMatchObject({ applied: true, reverted: true, cleared: false });
    expect(result.changes?.map((c) => c.action)).toEqual(['added', 'removed']);
    expect(result.log).toContain('reverted on the gateway dc-gw via jump host: the change did not clear the finding');
    expect(existsSync(state)).toBe(false);
  });
});
