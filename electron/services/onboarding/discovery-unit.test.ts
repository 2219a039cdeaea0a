import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { unitExposure, unitProblems } from '../../../test/support/systemd-analyze.js';
import { discoveryUnit } from './discovery-unit.js';
import { hostPaths } from '../../../agent/shared/host-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-discovery-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the unit for `port` as spanwise-discovery.service, where systemd-analyze can read it. */
function unitFile(port: number, tls = false): string {
  mkdirSync(join(dir, `${port}${tls ? '-tls' : ''}`), { recursive: true });
  const path = join(dir, `${port}${tls ? '-tls' : ''}`, 'spanwise-discovery.service');
  writeFileSync(path, discoveryUnit(port, tls));
  return path;
}

describe('discovery unit', () => {
  it('serves the port as a dynamic user with its own state dir and no capabilities', () => {
    const lines = discoveryUnit(3000).split('\n');
    expect(lines).toContain(`ExecStart=${hostPaths.agent} discovery serve --listen 0.0.0.0:3000 --state-file ${hostPaths.discoveryState}`);
    for (const line of [
      'DynamicUser=yes',
      'StateDirectory=spanwise-discovery',
      'CapabilityBoundingSet=',
      'PrivateUsers=yes',
      'RestrictAddressFamilies=AF_INET AF_INET6',
    ])
      expect(lines).toContain(line);
    expect(lines.some((l) => l.startsWith('AmbientCapabilities='))).toBe(false);
    expect(hostPaths.discoveryState.startsWith(`${hostPaths.discoveryStateDir}/`)).toBe(true);
  });

  it('with TLS, serves the certificate and key handed over by LoadCredential= (root-only files a dynamic user cannot read)', () => {
    const lines = discoveryUnit(3000, true).split('\n');
    expect(lines).toContain(
      `ExecStart=${hostPaths.agent} discovery serve --listen 0.0.0.0:3000 --state-file ${hostPaths.discoveryState} --tls-cert %d/discovery.crt --tls-key %d/discovery.key`,
    );
    expect(lines).toContain(`LoadCredential=discovery.crt:${hostPaths.discoveryCert}`);
    expect(lines).toContain(`LoadCredential=discovery.key:${hostPaths.discoveryKey}`);
  });

  it('gets CAP_NET_BIND_SERVICE alone, outside a user namespace, for a port below 1024', () => {
    const lines = discoveryUnit(443).split('\n');
    expect(lines).toContain('CapabilityBoundingSet=CAP_NET_BIND_SERVICE');
    expect(lines).toContain('AmbientCapabilities=CAP_NET_BIND_SERVICE');
    expect(lines).not.toContain('PrivateUsers=yes');
  });
});

describe.skipIf(process.platform !== 'linux' && !process.env.CI)('discovery unit, as systemd-analyze sees it', () => {
  const agentScore = () => unitExposure(fileURLToPath(new URL('../../../agent/packaging/spanwise-agent.service', import.meta.url))).score;

  for (const [port, tls] of [
    [3000, false],
    [443, false],
    [3000, true],
  ] as const) {
    it(`on port ${port}${tls ? ' with TLS' : ''}: passes systemd-analyze verify and scores 3.0 or better, below the agent`, () => {
      const path = unitFile(port, tls);
      expect(unitProblems(path, [hostPaths.agent])).toEqual([]);
      const { score, table } = unitExposure(path);
      console.log(`spanwise-discovery.service (port ${port}): systemd-analyze security --offline=yes: ${score.toFixed(1)}`);
      expect(score, table).toBeLessThanOrEqual(3.0);
      expect(score).toBeLessThan(agentScore());
    });
  }
});
