import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invokeChannels } from '../../electron/contract/index.js';
import { buildApp } from '../browser/build-renderer.js';
import { indexHtml, indexUrl, MainRun, root } from './main-harness.js';
import { runPreload } from './preload-sandbox.js';

const runs: MainRun[] = [];
const start = (env: Record<string, string>) => {
  const run = new MainRun(env);
  runs.push(run);
  return run;
};
const temp = () => mkdtempSync(join(tmpdir(), 'spanwise-main-'));
const shown = (run: MainRun) => run.waitFor('show');
/** The directives of the page's Content-Security-Policy meta, each with its sources. */
const contentSecurityPolicy = (page: string): Record<string, string[]> => {
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(readFileSync(page, 'utf8'))?.[1] ?? '';
  return Object.fromEntries(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources]),
  );
};

beforeAll(() => buildApp(), 60_000);
afterEach(() => {
  for (const run of runs.splice(0)) run.kill();
});

describe('the built main process, run in Node with a fake electron', () => {
  it('opens one isolated, sandboxed window on the built page and answers the contract only to that page', async () => {
    const userData = join(temp(), 'user');
    const run = start({ FAKE_ELECTRON_USER_DATA: userData });
    await shown(run);

    const windows = run.all('window');
    expect(windows).toHaveLength(1);
    const options = windows[0]?.options as { show: boolean; webPreferences: Record<string, unknown> };
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(options.webPreferences.preload).toBe(join(root, 'dist/electron/preload.cjs'));
    expect(existsSync(String(options.webPreferences.preload))).toBe(true);
    expect(run.all('loadFile').map((r) => [r.path, r.exists])).toEqual([[indexHtml, true]]);
    expect(contentSecurityPolicy(indexHtml)).toMatchObject({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
    });
    expect(
      Object.values(contentSecurityPolicy(indexHtml))
        .flat()
        .filter((source) => /unsafe|\*/.test(source)),
    ).toEqual([]);
    expect(
      run
        .all('handle')
        .map((r) => r.channel)
        .sort(),
    ).toEqual([...invokeChannels].sort());

    const info = await run.invoke('app:info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: userData, secrets: { box: 'keychain' } } });
    expect((await run.invoke('app:info', {}, `${indexUrl}#/mesh`)).ok).toBe(true);
    for (const frame of [
      pathToFileURL(join(tmpdir(), 'index.html')).href,
      pathToFileURL(join(root, 'dist/renderer-x/index.html')).href,
      pathToFileURL(join(root, 'dist/renderer/other.html')).href,
      'https://spanwise.dev/',
      null,
    ]) {
      expect(await run.invoke('app:info', {}, frame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(readFileSync(join(userData, 'secret-box'), 'utf8').trim()).toBe('keychain');

    expect(await run.command('navigate', { url: 'https://example.com/' })).toEqual({ prevented: true });
    expect(await run.command('openWindow', { url: 'https://spanwise.dev/docs' })).toEqual({ action: 'deny' });
    await run.waitFor('openExternal', (r) => r.url === 'https://spanwise.dev/docs');
    expect(await run.command('askPermission', { permission: 'media' })).toBe(false);

    expect((await run.invoke('cluster:create', { name: 'lab' })).ok).toBe(true);
    expect((await run.invoke('mesh:get', {})).ok).toBe(true);
    await run.waitFor('send', (r) => r.channel === 'mesh:snapshot' && r.window === 1);
    await run.waitFor('trayMenu', (r) => JSON.stringify(r.items).includes('lab: cluster health'));

    await run.command('closeWindow');
    expect(await run.exited).toBe(0);
    expect(run.all('quit')).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toMatchObject({ width: 1280, height: 860, maximized: false });
  });

  it('has a tray menu that shows the window and quits, and an app menu with the usual roles', async () => {
    const run = start({ FAKE_ELECTRON_USER_DATA: join(temp(), 'user') });
    await shown(run);
    const tray = await run.waitFor('trayMenu');
    expect((tray.items as Array<{ label?: string; enabled?: boolean }>).map((i) => [i.label, i.enabled])).toEqual([
      ['Show Spanwise', undefined],
      ['Cluster health: no data yet', false],
      [undefined, undefined],
      ['Quit Spanwise', undefined],
    ]);
    const menu = (await run.waitFor('appMenu')).items as Array<{ role?: string }>;
    expect(menu.map((i) => i.role)).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
    await run.command('trayClick');
    await run.waitFor('focus');
    await run.command('trayMenuClick', { label: 'Quit Spanwise' });
    expect(await run.exited).toBe(0);
    expect(run.all('trayDestroyed')).toHaveLength(1);
  });

  it('on macOS keeps running with the window closed, and a window opened again is wired like the first', async () => {
    const run = start({ FAKE_ELECTRON_USER_DATA: join(temp(), 'user'), FAKE_ELECTRON_PLATFORM: 'darwin' });
    await shown(run);
    expect(((await run.waitFor('appMenu')).items as Array<{ role?: string }>)[0]?.role).toBe('appMenu');
    await run.command('closeWindow');
    await run.command('appEvent', { event: 'window-all-closed' });
    expect(run.all('quit')).toHaveLength(0);
    await run.command('appEvent', { event: 'activate' });
    await run.waitFor('show', (r) => r.window === 2);
    const second = run.all('window')[1]?.options as { webPreferences: Record<string, unknown> };
    expect(second.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: join(root, 'dist/electron/preload.cjs'),
    });
    expect((await run.invoke('cluster:create', { name: 'mac' })).ok).toBe(true);
    expect((await run.invoke('mesh:get', {})).ok).toBe(true);
    await run.waitFor('send', (r) => r.channel === 'mesh:snapshot' && r.window === 2);
    expect(await run.quit()).toBe(0);
  });

  it('seals secrets with a 0600 key file where no keyring protects them, and says so', async () => {
    const userData = join(temp(), 'user');
    const run = start({ FAKE_ELECTRON_USER_DATA: userData, FAKE_ELECTRON_KEYRING: 'basic_text' });
    await shown(run);
    const info = (await run.invoke('app:info', {})).value as { secrets: { box: string; reason: string } };
    expect(info.secrets.box).toBe('keyfile');
    expect(info.secrets.reason).toMatch(/No OS keyring protects secrets/);
    expect(statSync(join(userData, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(userData, 'secret-box'), 'utf8').trim()).toBe('keyfile');
    expect((await run.invoke('cluster:create', { name: 'edge' })).ok).toBe(true);
    expect(await run.quit()).toBe(0);
  });

  it('hands a second launch to the first instance, which shows its window; the second never opens the services', async () => {
    const userData = join(temp(), 'user');
    const first = start({ FAKE_ELECTRON_USER_DATA: userData });
    await shown(first);
    const db = new DatabaseSync(join(userData, 'inventory.sqlite'), { enableForeignKeyConstraints: false });
    db.prepare("INSERT INTO onboarding_runs (cluster, machine, state, started_at) VALUES ('lab', 'edge-1', 'running', ?)").run(new Date().toISOString());
    const focusesBefore = first.all('focus').length;

    const second = start({ FAKE_ELECTRON_USER_DATA: userData });
    expect(await second.exited).toBe(0);
    expect(second.all('singleInstanceLock').map((r) => r.got)).toEqual([false]);
    expect(second.all('handle')).toHaveLength(0);
    expect(second.all('window')).toHaveLength(0);

    await first.waitFor('focus', () => first.all('focus').length > focusesBefore);
    expect(db.prepare('SELECT state FROM onboarding_runs').all()).toEqual([{ state: 'running' }]);
    db.close();
    expect(await first.quit()).toBe(0);
  });

  it('shows start-up errors in an error box with message and hint, then exits 1', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'not-a-folder'), '');
    const broken = start({ FAKE_ELECTRON_USER_DATA: join(dir, 'user'), SPANWISE_HOME: join(dir, 'not-a-folder') });
    expect(await broken.exited).toBe(1);
    const [box] = broken.all('errorBox');
    expect(box?.title).toBe('Spanwise could not start');
    expect(box?.content).toMatch(/the data dir .*not-a-folder cannot be used[\s\S]*To fix: .*SPANWISE_HOME/);
    expect(broken.all('window')).toHaveLength(0);

    const userData = join(dir, 'sealed');
    const sealer = start({ FAKE_ELECTRON_USER_DATA: userData });
    await shown(sealer);
    expect((await sealer.invoke('cluster:create', { name: 'lab' })).ok).toBe(true);
    expect(await sealer.quit()).toBe(0);
    const locked = start({ FAKE_ELECTRON_USER_DATA: userData, FAKE_ELECTRON_KEYRING: 'basic_text' });
    expect(await locked.exited).toBe(1);
    expect(locked.all('errorBox')[0]?.content).toMatch(/sealed by the OS keychain[\s\S]*To fix: start and unlock a keyring/);
    expect(existsSync(join(userData, 'secret.key'))).toBe(false);
  });

  it('finds every resource of the packaged layout in the app and its resources folder', async () => {
    const dir = temp();
    const resources = join(dir, 'resources');
    mkdirSync(join(resources, 'agent/packaging'), { recursive: true });
    mkdirSync(join(resources, 'build'));
    writeFileSync(join(resources, 'agent/spanwise-agent.mjs'), 'console.log("agent")\n');
    copyFileSync(join(root, 'agent/packaging/spanwise-agent.service'), join(resources, 'agent/packaging/spanwise-agent.service'));
    mkdirSync(join(resources, 'agent/packaging/openrc'));
    copyFileSync(join(root, 'agent/packaging/openrc/spanwise-agent'), join(resources, 'agent/packaging/openrc/spanwise-agent'));
    copyFileSync(join(root, 'build/icon.png'), join(resources, 'build/icon.png'));
    const run = start({ FAKE_ELECTRON_USER_DATA: join(dir, 'user'), FAKE_ELECTRON_PACKAGED: '1', FAKE_ELECTRON_RESOURCES: resources });
    await shown(run);
    expect(run.all('loadFile').map((r) => r.path)).toEqual([indexHtml]);
    expect((run.all('window')[0]?.options as { webPreferences: { preload: string } }).webPreferences.preload).toBe(join(root, 'dist/electron/preload.cjs'));
    expect(run.all('tray').map((r) => [r.icon, r.iconExists])).toEqual([[join(resources, 'build/icon.png'), true]]);
    const info = (await run.invoke('app:info', {})).value as { agentBundle: { path: string; bytes: number } | null };
    expect(info.agentBundle).toMatchObject({ path: join(resources, 'agent/spanwise-agent.mjs'), bytes: 21 });
    expect(JSON.stringify((await run.waitFor('appMenu')).items)).not.toContain('Updates');
    expect(await run.quit()).toBe(0);
  });
});

describe('the built preload, evaluated as a sandboxed preload', () => {
  it('requires only electron and exposes exactly window.spanwise with invoke and on', async () => {
    const preload = runPreload(join(root, 'dist/electron/preload.cjs'));
    expect(preload.required).toEqual(['electron']);
    expect(() => preload.require('fs')).toThrow(/module not found: fs/);
    expect(() => preload.require('child_process')).toThrow(/module not found/);
    expect(Object.keys(preload.exposed)).toEqual(['spanwise']);
    const api = preload.exposed.spanwise as {
      invoke(channel: string, request: unknown): Promise<unknown>;
      on(event: string, listener: (payload: unknown) => void): () => void;
    };
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);

    await expect(api.invoke('cluster:list', {})).resolves.toEqual({ ok: true, value: 'from main' });
    expect(preload.invokes).toEqual([['cluster:list', {}]]);

    expect(() => api.on('shell:exec', () => undefined)).toThrow(/unknown event channel/);
    const seen: unknown[] = [];
    const off = api.on('mesh:patch', (payload) => seen.push(payload));
    preload.ipc.emit('mesh:patch', { sender: 'main' }, { version: 2 });
    expect(seen).toEqual([{ version: 2 }]);
    off();
    expect(preload.ipc.listenerCount('mesh:patch')).toBe(0);
  });
});
