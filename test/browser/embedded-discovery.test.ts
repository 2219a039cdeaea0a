import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

async function listen(): Promise<Server> {
  const server = createServer().listen(0, '0.0.0.0');
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

describe('discovery in this app, on the clusters screen', () => {
  let ui: UiBackend;
  let page: Page;
  let blocker: Server;

  beforeAll(async () => {
    ui = await startUiBackend('ui-embedded', { discovery: 'follow' });
    page = await ui.open('#/clusters');
    blocker = await listen();
  });
  afterAll(async () => {
    blocker?.close();
    await ui?.services.discovery.close();
    await ui?.close();
  });

  async function create(name: string, port: number, address = ''): Promise<void> {
    const form = page.getByTestId('cluster-form');
    await form.getByLabel('Cluster name').fill(name);
    await form.getByLabel('Discovery runs').selectOption('embedded');
    await form.getByLabel('Discovery port').fill(String(port));
    await form.getByLabel('Address nodes reach this app at').fill(address);
    await form.getByRole('button', { name: 'Create cluster' }).click();
    await expect.poll(() => page.getByTestId('current-cluster').textContent()).toBe(`Cluster: ${name}`);
  }

  it('shows the port in use and the fix when discovery cannot start', async () => {
    const { port } = blocker.address() as AddressInfo;
    await create('busy', port);
    const state = page.getByTestId('embedded-discovery');
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain(`not running: TCP port ${port} is already in use on this machine`);
    expect(await state.textContent()).toContain(`fix: close the program listening on TCP ${port}`);
  });

  it('shows it running, with the members registered, for the current cluster', async () => {
    const free = await listen();
    const { port } = free.address() as AddressInfo;
    await new Promise((resolve) => free.close(resolve));
    await create('lan', port, '192.0.2.10');
    const row = page.getByTestId('cluster-table').getByRole('row', { name: /lan/ });
    await expect.poll(() => row.getByTestId('embedded-discovery').textContent(), { timeout: 10_000 }).toBe(`running on :${port}, 0 members registered`);
    expect(await row.textContent()).toContain(`in this app, port ${port}, nodes use 192.0.2.10`);
    expect(ui.services.clusters.get('lan').discovery).toEqual({ mode: 'embedded', port, address: '192.0.2.10' });
    expect(await page.getByTestId('embedded-discovery').count()).toBe(1);
    await screenshots(page, 'clusters-embedded-discovery');
  });
});
