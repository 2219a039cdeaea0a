import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

describe('the install method on the machines screen', () => {
  let ui: UiBackend;
  let page: Page;
  const sent: string[] = [];

  beforeAll(async () => {
    ui = await startUiBackend('ui-install');
    await ui.handlers['cluster:create']({ name: 'lab', discovery: { mode: 'node', port: 3000 } });
    await ui.handlers['machine:add']({
      name: 'closed-port',
      ssh: { host: '127.0.0.1', port: 1, user: 'root' },
      auth: { useAgent: true },
      jump: [],
      site: 'cloud',
      role: 'worker',
      labels: {},
    });
    page = await ui.open('#machines');
    page.on('websocket', (ws) => ws.on('framesent', (frame) => void (typeof frame.payload === 'string' && sent.push(frame.payload))));
    await page.reload();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('offers auto, package and files, and sends the one picked with the onboarding request', async () => {
    const select = page.getByTestId('install-method');
    expect(await select.inputValue()).toBe('auto');
    expect((await select.locator('option').allTextContents()).map((text) => text.split(' ')[0])).toEqual(['auto', 'package', 'files']);
    await select.selectOption('files');
    await page.getByLabel('Pick closed-port').check();
    await page.getByTestId('onboard-button').click();
    await expect
      .poll(
        () =>
          sent.map((f) => JSON.parse(f) as { channel?: string; request?: { install?: string } }).find((f) => f.channel === 'node:onboard')?.request?.install,
      )
      .toBe('files');
    await screenshots(page, 'machines-install-method');
  });
});
