import type * as Crypto from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DiscoveryServer, Logger } from '../../agent/discovery/server/index.js';
import { startTestServer, ttl } from './discovery-helpers.js';

/**
 * An attacker who can write in the state file's dir and knows the temp name the
 * server will use (as with the old `<file>.tmp-<pid>`): the name is made
 * predictable here, so the planted links sit exactly where the server writes.
 */
const TEMP_SUFFIX = 'ab'.repeat(8);
const predictable = vi.hoisted(() => ({ on: false }));
vi.mock('node:crypto', async (original) => {
  const real = await original<typeof Crypto>();
  const randomBytes = (size: number) => (predictable.on && size === 8 ? Buffer.from('ab'.repeat(8), 'hex') : real.randomBytes(size));
  return { ...real, randomBytes, default: { ...real, randomBytes } };
});

const dir = mkdtempSync(join(tmpdir(), 'spanwise-state-links-'));
const servers: DiscoveryServer[] = [];

afterEach(async () => {
  predictable.on = false;
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function errorLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug: () => {}, info: () => {}, warn: () => {}, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };
}

async function serverWithOne(file: string, logger: Logger): Promise<DiscoveryServer> {
  const { server } = await startTestServer({ stateFile: file, logger });
  servers.push(server);
  server.store.update({ clusterId: 'c', affiliateId: 'a', affiliateData: Buffer.from('x'), affiliateEndpoints: [], ttl: ttl(600) });
  return server;
}

describe('discovery state file against planted links', () => {
  it('never writes through a link at the temp name, nor creates the file a dangling link names', async () => {
    const file = join(dir, 'linked.state');
    const victim = join(dir, 'victim.txt');
    const planted = join(dir, 'planted-by-link.txt');
    writeFileSync(victim, 'precious');
    const logger = errorLog();
    const running = await serverWithOne(file, logger);
    predictable.on = true;
    symlinkSync(victim, `${file}.tmp-${TEMP_SUFFIX}`);
    await running.snapshot();
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(existsSync(file)).toBe(false);
    expect(logger.errors.join('\n')).toMatch(/discovery state snapshot failed .*EEXIST/);

    const dangling = join(dir, 'dangling.state');
    symlinkSync(planted, `${dangling}.tmp-${TEMP_SUFFIX}`);
    await serverWithOne(dangling, logger).then((s) => s.snapshot());
    expect(existsSync(planted)).toBe(false);
    expect(lstatSync(`${dangling}.tmp-${TEMP_SUFFIX}`).isSymbolicLink()).toBe(true);
  });

  it('writes the file at mode 0600 whatever the old one had and whatever the umask, and leaves no temp file', async () => {
    const file = join(dir, 'mode.state');
    writeFileSync(file, '', { mode: 0o666 });
    const umask = process.umask(0);
    try {
      const running = await serverWithOne(file, errorLog());
      await running.snapshot();
    } finally {
      process.umask(umask);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('"end":true');
    expect(readdirSync(dir).filter((name) => name.startsWith('mode.state.'))).toEqual([]);
  });
});
