import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pairCodes } from '../../electron/contract/mesh.js';
import { TrayHealth } from '../../electron/main/tray-health.js';
import { rendererFrameCheck } from '../../electron/main/trusted-frame.js';
import { autoUpdates, canSelfUpdate } from '../../electron/main/updater.js';
import { restoreWindowState } from '../../electron/main/window-state.js';

const temp = () => mkdtempSync(join(tmpdir(), 'spanwise-main-unit-'));

describe('the IPC sender check', () => {
  const dir = join(tmpdir(), 'app with space', 'renderer');
  const trusted = rendererFrameCheck(dir);

  it('accepts only the renderer page itself', () => {
    const page = pathToFileURL(join(dir, 'index.html')).href;
    expect(trusted(page)).toBe(true);
    expect(trusted(`${page}?tab=mesh#pair`)).toBe(true);
    expect(trusted(pathToFileURL(join(dir, '../renderer-x/index.html')).href)).toBe(false);
    expect(trusted(pathToFileURL(`${dir}-x/index.html`).href)).toBe(false);
    expect(trusted(pathToFileURL(join(dir, 'sub/index.html')).href)).toBe(false);
    expect(trusted(pathToFileURL(dir).href)).toBe(false);
    expect(trusted('https://example.com/index.html')).toBe(false);
    expect(trusted('not a url')).toBe(false);
    expect(trusted(undefined)).toBe(false);
  });
});

describe('the saved window state', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };

  it('restores size and place, and drops a place that is on no display now', () => {
    expect(restoreWindowState({ width: 1000, height: 700, x: 40, y: 50, maximized: true }, [display])).toEqual({
      width: 1000,
      height: 700,
      x: 40,
      y: 50,
      maximized: true,
    });
    expect(restoreWindowState({ width: 1000, height: 700, x: 4000, y: 50, maximized: false }, [display])).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
    expect(restoreWindowState({ width: 10, height: 'tall' }, [display])).toEqual({ width: 900, height: 860, maximized: false });
    expect(restoreWindowState(undefined, [display])).toEqual({ width: 1280, height: 860, maximized: false });
  });
});

describe('the tray health line', () => {
  it('follows snapshots and patches and names the pairs that went down', () => {
    const health = new TrayHealth();
    expect(health.health).toBe('Cluster health: no data yet');
    const node = (name: string) => ({ name }) as never;
    expect(health.snapshot({ version: 1, cluster: 'lab', nodes: [node('a'), node('b')], cells: [], clusterHealth: 99.6, updatedAt: '' }).health).toBe(
      'lab: cluster health 100%',
    );
    const view = health.patch({ version: 2, cells: [[1, pairCodes.down]], nodes: [], clusterHealth: 50, updatedAt: '' });
    expect(view).toEqual({ health: 'lab: cluster health 50%', newlyDown: ['a → b'] });
    expect(health.snapshot({ version: 3, cluster: null, nodes: [], cells: [], clusterHealth: 0, updatedAt: '' }).health).toBe('No cluster selected');
  });

  it("takes the health model's score, with the fragile pairs, over the mesh view's once there is one", () => {
    const health = new TrayHealth();
    health.snapshot({ version: 1, cluster: 'lab', nodes: [], cells: [], clusterHealth: 100, updatedAt: '' });
    const model = { cluster: 'lab', score: 75, pairs: { up: 6, fragile: 6, down: 0, unknown: 0 } } as never;
    expect(health.model(model).health).toBe('lab: cluster health 75%, 6 fragile');
    expect(health.patch({ version: 2, cells: [], nodes: [], clusterHealth: 100, updatedAt: '' }).health).toBe('lab: cluster health 75%, 6 fragile');
  });
});

describe('automatic updates', () => {
  it('are on only in a packaged build with a publish config, until the user turns them off', async () => {
    const resources = temp();
    const dataDir = temp();
    let started = 0;
    let stopped = 0;
    const start = async () => (started++, () => void stopped++);
    expect(canSelfUpdate(true, resources)).toBe(false);
    expect(autoUpdates(true, resources, dataDir, start).switch).toBeNull();
    writeFileSync(join(resources, 'app-update.yml'), 'provider: github\nowner: spanwise\nrepo: spanwise\n');
    expect(canSelfUpdate(false, resources)).toBe(false);
    expect(autoUpdates(false, resources, dataDir, start).switch).toBeNull();
    expect(started).toBe(0);

    const updates = autoUpdates(true, resources, dataDir, start);
    expect(updates.switch?.enabled).toBe(true);
    expect(started).toBe(1);
    updates.switch?.set(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(1);
    expect(autoUpdates(true, resources, dataDir, start).switch?.enabled).toBe(false);
    expect(started).toBe(1);
  });

  it('never stop the app when electron-updater fails to start', async () => {
    const resources = temp();
    writeFileSync(join(resources, 'app-update.yml'), 'provider: generic\nurl: https://updates.example.com\n');
    const updates = autoUpdates(true, resources, temp(), async () => {
      throw new Error('no network');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => updates.stop()).not.toThrow();
  });
});
