// Takes the README's screenshots: the topology, the path view of cloud2 <-> dc1 and the findings,
// at 1280 and 1920 wide, in Debian's Chromium against the real web server over real services,
// fed the hybrid lab's recorded mesh view and diagnosis. Writes docs/screenshots/<view>-<width>.png.
//   node --import tsx scripts/screenshots.ts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Handlers } from '../electron/handlers/index.js';
import { FakeMeshSource } from '../test/browser/fake-mesh-source.js';
import { startUiBackend } from '../test/browser/ui-backend.js';
import { hybridJumps, hybridReport, hybridSnapshot } from '../test/support/diagnosis-fixtures/hybrid-report.js';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const widths = [1280, 1920];
const sites = { cloud1: 'cloud', cloud2: 'cloud', dc1: 'datacenter', edge1: 'edge' } as const;

const machine = (name: keyof typeof sites): Parameters<Handlers['machine:add']>[0] => ({
  name,
  ssh: { user: 'root', host: `${name}.lab`, port: 22 },
  auth: { useAgent: true },
  jump: (hybridJumps.find((j) => j.name === name)?.jump ?? []).map((j) => ({ ...j })),
  site: sites[name],
  role: name === 'cloud1' ? 'controlplane' : 'worker',
  labels: {},
});

async function shoot(page: Page, name: string, width: number, testId: string): Promise<void> {
  const path = join(out, `${name}-${width}.png`);
  await page.getByTestId(testId).first().screenshot({ path });
  console.log(`wrote ${path}`);
}

mkdirSync(out, { recursive: true });
const ui = await startUiBackend('screenshots', { meshSource: () => new FakeMeshSource(new Set()) });
try {
  await ui.handlers['cluster:create']({ name: 'hybrid', discovery: { mode: 'node', port: 3000 } });
  for (const name of Object.keys(sites) as Array<keyof typeof sites>) await ui.handlers['machine:add'](machine(name));
  await ui.handlers['mesh:get']({});
  for (const width of widths) {
    const page = await ui.browser.newPage({ viewport: { width, height: 1000 } });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${ui.server.url}#topology`);
    await page.locator('header .badge').waitFor();
    ui.services.events.emit('mesh:snapshot', hybridSnapshot(1000 + width));
    ui.services.events.emit('diagnosis:report', hybridReport());
    await page.getByTestId('gateway-dc-gw').waitFor();
    await shoot(page, 'topology', width, 'topology-panel');
    await page.getByTestId('link-cloud2-dc1').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('path-view').waitFor();
    await shoot(page, 'path-view', width, 'path-view');
    await page.getByTestId('nav-firewall').click();
    await page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED').waitFor();
    await page.screenshot({ path: join(out, `findings-${width}.png`) });
    console.log(`wrote ${join(out, `findings-${width}.png`)}`);
    await page.close();
  }
} finally {
  await ui.close();
}
