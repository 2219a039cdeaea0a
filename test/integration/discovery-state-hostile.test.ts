import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryServer, Logger } from '../../agent/discovery/server/index.js';
import { readLines } from '../../agent/discovery/server/line-reader.js';
import { startTestServer } from './discovery-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-hostile-state-'));
const NOW = 1_700_000_000_000;
let server: DiscoveryServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (m: string, f?: Record<string, unknown>) => void lines.push(`${level} ${m} ${JSON.stringify(f)}`);
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

const header = JSON.stringify({ format: 'spanwise-discovery-state', version: 1, savedAt: NOW });
const end = (clusters: number) => JSON.stringify({ end: true, clusters });
const affiliate = (id: string, extra: object = {}) => ({ id, data: Buffer.from(`data-${id}`).toString('base64'), dataTtlMs: 600_000, endpoints: [], ...extra });
const clusterLine = (id: string, affiliates: object[]) => JSON.stringify({ id, affiliates });

async function start(file: string, options: object = {}) {
  const logger = recordingLogger();
  ({ server } = await startTestServer({ stateFile: file, logger, ...options }));
  return logger;
}

describe('discovery state file from a hostile source', () => {
  it('refuses a file over the size cap without reading it, says why, and serves from empty', async () => {
    const file = join(dir, 'huge.state');
    writeFileSync(file, `${header}\n${'x'.repeat(3 << 20)}\n`);
    const logger = await start(file, { stateFileCaps: { maxFileBytes: 1 << 20 } });
    expect(logger.lines.join('\n')).toMatch(/error discovery state file unreadable; starting empty .*is 3145\d+ bytes, over the 1048576-byte cap/);
    expect(server?.stats().affiliates).toBe(0);
    server?.store.update({ clusterId: 'c', affiliateId: 'a', affiliateData: Buffer.from('x'), affiliateEndpoints: [], ttl: { seconds: 60, nanos: 0 } });
    expect(server?.stats().affiliates).toBe(1);
  });

  it('skips a line over the line cap as it streams past, and loads the lines around it', async () => {
    const file = join(dir, 'long-line.state');
    const out = createWriteStream(file);
    out.write(`${header}\n${clusterLine('before', [affiliate('a')])}\n`);
    const filler = randomBytes(1 << 20).toString('base64');
    out.write(`{"id":"giant","affiliates":[{"id":"g","data":"`);
    for (let i = 0; i < 16; i += 1) out.write(filler);
    out.write(`","endpoints":[]}]}\n${clusterLine('after', [affiliate('b')])}\n${end(3)}\n`);
    await new Promise((resolve) => out.end(resolve));
    const logger = await start(file, { stateFileCaps: { maxLineBytes: 64 * 1024 } });
    expect(server?.store.list('before').map((a) => a.id)).toEqual(['a']);
    expect(server?.store.list('after').map((a) => a.id)).toEqual(['b']);
    expect(server?.store.list('giant')).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/warn discovery state file: entries left out .*"longLines":1/);
  });

  it('leaves out what a live update could not store: clusters and affiliates over the limits, oversized data, too many endpoints, bad ids', async () => {
    const file = join(dir, 'over-limits.state');
    const endpoints = (n: number) => Array.from({ length: n }, (_, i) => ({ blob: Buffer.alloc(16, i).toString('base64'), ttlMs: 600_000 }));
    const lines = [
      clusterLine('c1', [
        affiliate('ok-1'),
        affiliate('big', { data: Buffer.alloc(4096).toString('base64') }),
        affiliate('many', { endpoints: endpoints(65) }),
      ]),
      clusterLine('c2', [affiliate('ok-2'), affiliate('x'.repeat(300)), ...Array.from({ length: 6 }, (_, i) => affiliate(`crowd-${i}`))]),
      clusterLine('c3', [affiliate('ok-3')]),
      clusterLine('c4', [affiliate('no-room')]),
    ];
    writeFileSync(file, `${header}\n${lines.join('\n')}\n${end(lines.length)}\n`);
    const logger = await start(file, { limits: { maxClusters: 3, maxAffiliatesPerCluster: 4 } });
    expect(server?.stats()).toMatchObject({ clusters: 3, affiliates: 1 + 4 + 1 });
    expect(server?.store.list('c4')).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/warn discovery state file: entries left out .*"overLimits":4,"memory":0,"invalid":3,"longLines":0/);
  });

  it('reads lines without ever holding more than the cap of one', async () => {
    const file = join(dir, 'lines.state');
    writeFileSync(file, `short\n${'y'.repeat(200_000)}\n\nlast`);
    const handle = await open(file, 'r');
    const lines = [];
    for await (const line of readLines(handle, 1000)) lines.push(line);
    await handle.close();
    expect(lines).toEqual([
      { text: 'short', bytes: 5 },
      { text: undefined, bytes: 200_000 },
      { text: 'last', bytes: 4 },
    ]);
  });
});
