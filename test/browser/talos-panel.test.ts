import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_PLACEHOLDER } from '../../electron/services/clusters/talos-patch.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

const controlplane = fileURLToPath(new URL('../support/talos/controlplane.yaml', import.meta.url));

describe('Talos on the clusters screen', () => {
  let ui: UiBackend;
  let page: Page;
  let secret: string;

  beforeAll(async () => {
    ui = await startUiBackend('ui-talos');
    await ui.handlers['cluster:create']({ name: 'lan', discovery: { mode: 'embedded', port: 3000, address: '192.0.2.10' } });
    secret = ui.services.clusters.secretsOf('lan').secret;
    page = await ui.open('#clusters');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ui.server.url).origin });
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('shows the patch with the secret hidden until asked, and copies and saves it with the secret', async () => {
    const panel = page.getByTestId('talos-patch');
    const text = panel.getByTestId('talos-patch-text');
    await expect.poll(() => text.textContent()).toContain('endpoint: http://192.0.2.10:3000/');
    expect(await text.textContent()).toContain(SECRET_PLACEHOLDER);
    expect(await page.content()).not.toContain(secret);
    expect(await panel.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Save' }).isVisible()).toBe(true);
    await screenshots(page, 'clusters-talos-patch');

    await panel.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toBe('Copied, with the cluster secret.');
    const clipboard = () => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText();
    expect(await page.evaluate(clipboard)).toContain(`secret: ${secret}`);
    expect(await text.textContent()).not.toContain(secret);

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Save' }).click()]);
    expect(download.suggestedFilename()).toBe('spanwise-patch.yaml');
    expect(readFileSync(await download.path(), 'utf8')).toContain(`secret: ${secret}`);

    await panel.getByRole('button', { name: 'Show secret' }).click();
    await expect.poll(() => text.textContent()).toContain(`secret: ${secret}`);
    await panel.getByRole('button', { name: 'Hide secret' }).click();
    await expect.poll(() => text.textContent()).toContain(SECRET_PLACEHOLDER);
  });

  it('creates a cluster from a Talos machine config picked as a file, and names the missing field of a pasted one', async () => {
    const form = page.getByTestId('cluster-form');
    await form.getByLabel('Cluster name').fill('talos-cp');
    await form.getByLabel('Join an existing Talos cluster').check();
    await form.getByLabel('Or paste it').fill('cluster:\n    id: abc\n');
    await form.getByRole('button', { name: 'Create cluster' }).click();
    await expect
      .poll(() => form.locator('.field-error').textContent())
      .toContain('Talos file: cluster.secret is missing: pass the secrets.yaml from talosctl gen secrets, or a machine config');
    expect((await ui.handlers['cluster:list']({})).map((c) => c.name)).toEqual(['lan']);

    await form.getByLabel('Talos file').setInputFiles(controlplane);
    await expect.poll(() => form.locator('output').textContent()).toMatch(/^controlplane\.yaml \(\d+ bytes\)$/);
    await form.getByRole('button', { name: 'Create cluster' }).click();
    await expect.poll(() => page.getByTestId('current-cluster').textContent()).toBe('Cluster: talos-cp');
    const created = ui.services.clusters.get('talos-cp');
    expect(created).toMatchObject({
      clusterId: 'ZlgNnI2UduUnWctJrnT-I17L6ZVx3sCdG9exyiUwJWY=',
      discovery: { mode: 'url', url: 'https://discovery.example.net:3000/' },
    });
    expect(ui.services.clusters.settings('talos-cp')).toMatchObject({ mtu: 1380, allowDownPeerBypass: true });
    await expect.poll(() => page.getByTestId('talos-patch-text').textContent()).toContain('endpoint: https://discovery.example.net:3000/');
  });
});
