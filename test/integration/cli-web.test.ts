import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../electron/web/renderer-build.js';

const root = new URL('../../', import.meta.url).pathname;

describe('the UI spanwise web serves', { timeout: 180_000 }, () => {
  it('is built from the renderer sources when missing, and kept when built', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spanwise-ui-')), 'renderer');
    const lines: string[] = [];
    expect(await ensureRenderer(join(root, 'renderer'), out, (l) => lines.push(l))).toBe('built');
    for (const file of ['index.html', 'styles.css', 'app.js']) expect(existsSync(join(out, file))).toBe(true);
    expect(lines[0]).toContain(`building the UI into ${out}`);
    expect(lines[1]).toMatch(/^built the UI in \d+\.\d s$/);
    expect(await ensureRenderer(join(root, 'renderer'), out, (l) => lines.push(l))).toBe('prebuilt');
    expect(lines).toHaveLength(2);
  });

  it('fails with a clear error when neither the build nor the sources are there', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spanwise-ui-'));
    await expect(ensureRenderer(join(empty, 'renderer'), join(empty, 'dist'), () => undefined)).rejects.toMatchObject({
      code: 'UI_MISSING',
      hint: expect.stringContaining('npm run build') as unknown,
    });
  });

  it('is served by the real spanwise web behind its token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spanwise-web-'));
    const child = spawn(process.execPath, [join(root, 'bin', 'spanwise.mjs'), 'web', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const match = /Spanwise web UI: (\S+)/.exec(text);
          if (match) resolve(match[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`spanwise web exited with ${code}`)));
      });
      const login = await fetch(url, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await fetch(new URL('/', url), { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('app.js');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
