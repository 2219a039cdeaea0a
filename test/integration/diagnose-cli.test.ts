import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'spanwise.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });

describe('spanwise diagnose and fix', () => {
  it('diagnoses an empty cluster as JSON with both matrices', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanwise-cli-diag-'));
    expect(run(['cluster', 'create', 'lab', '--discovery-url', 'http://127.0.0.1:3000', '--data-dir', dir]).status).toBe(0);
    const result = run(['diagnose', '--json', '--data-dir', dir]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ findings: [], matrix: { udp51820: {}, tcp50000: { desktop: {} } } });
    const missing = run(['fix', 'PEER_DOWN:a:b', '--data-dir', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no finding 'PEER_DOWN:a:b'");
  });

  it('rejects bad usage with exit code 2 naming the problem', () => {
    expect(run(['fix']).status).toBe(2);
    const bad = run(['fix', 'X', '--apply', '--confirm-seconds', '2']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--confirm-seconds: Too small');
  });
});
