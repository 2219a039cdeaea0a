import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RotatingLog } from './rotating-log.js';

const dir = mkdtempSync(join(tmpdir(), 'spanwise-rotate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (n: number) => `line ${String(n).padStart(3, '0')} ${'x'.repeat(40)}\n`;

it('rotates between lines at the size limit, keeps the newest files and drops the oldest', () => {
  const path = join(dir, 'logs', 'agent.log');
  const log = new RotatingLog(path, { maxBytes: 200, keep: 2 });
  // 4 lines of 50 bytes fit in a file: 14 lines make four files, of which the oldest is dropped.
  const chunk = Array.from({ length: 14 }, (_, n) => line(n)).join('');
  log.write(chunk.slice(0, 75));
  log.write(chunk.slice(75));
  log.close();
  const files = [`${path}.2`, `${path}.1`, path].map((f) => readFileSync(f, 'utf8'));
  expect(existsSync(`${path}.3`)).toBe(false);
  for (const text of files) {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(200);
    expect(text.endsWith('\n')).toBe(true);
  }
  // Lines 0-3 went with the dropped file; the rest are whole and in order.
  expect(files.join('')).toBe(Array.from({ length: 10 }, (_, n) => line(n + 4)).join(''));
  expect(statSync(path).mode & 0o777).toBe(0o600);
});

it('appends to the file it finds and counts its size', () => {
  const path = join(dir, 'existing.log');
  writeFileSync(path, line(0).repeat(3));
  const log = new RotatingLog(path, { maxBytes: 200, keep: 1 });
  log.write(line(1));
  expect(existsSync(`${path}.1`)).toBe(false);
  log.write(line(2));
  log.close();
  expect(readFileSync(`${path}.1`, 'utf8')).toBe(line(0).repeat(3) + line(1));
  expect(readFileSync(path, 'utf8')).toBe(line(2));
});
