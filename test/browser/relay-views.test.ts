import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairCodes } from '../../electron/contract/mesh.js';
import type { RelaySetting } from '../../electron/contract/settings.js';
import { report } from '../../electron/services/diagnosis/diagnose.js';
import type { MeshAggregator } from '../../electron/services/mesh/aggregator.js';
import type { MachineStore } from '../../electron/services/store/machines.js';
import { hardNatEvidence } from '../support/diagnosis-fixtures/lab-scenarios.js';
import { FakeMeshSource } from './fake-mesh-source.js';
import { viewMachine } from './mesh-fixtures.js';
import { pixelsOf, screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

const RELAYED_RTT_MS = 9.2;

/**
 * hard-nat's agents as a fake mesh source: every pair up but edge1-edge2 (both behind port-randomising
 * NATs), until `take` hands them the cluster's relays, as the agents do when the settings are pushed.
 */
class FakeHardNatAgents extends FakeMeshSource {
  private aggregator: MeshAggregator | null = null;

  constructor() {
    super(new Set(['cloud1', 'edge1', 'edge2']));
  }

  override follow(aggregator: MeshAggregator): void {
    super.follow(aggregator);
    this.aggregator = aggregator;
    this.take([]);
  }

  /** The agents take the saved relays: with one for edge1-edge2 each end reports the other up through it, else down. */
  take(relays: readonly RelaySetting[]): void {
    const via = relays.find((r) => [...r.between].sort().join() === 'edge1,edge2')?.via;
    this.pair('edge1', 'edge2', (to) =>
      via
        ? { to, state: pairCodes.relayed, via, rttMs: RELAYED_RTT_MS, reason: `answered through ${via} 1s ago` }
        : { to, state: pairCodes.down, reason: 'no handshake 15s after endpoint change' },
    );
  }

  private pair(a: string, b: string, observation: (to: number) => Partial<Parameters<MeshAggregator['observe']>[1]> & { to: number }): void {
    const agg = this.aggregator as MeshAggregator;
    const now = Date.now();
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const)
      agg.observe(
        agg.indexOf(from),
        { state: pairCodes.unknown, endpoint: null, lastHandshakeMs: 0, rx: 0, tx: 0, reason: null, rttMs: null, ...observation(agg.indexOf(to)) },
        now,
      );
  }
}

/** Moves the matrix focus from its first cell to the cell of `from` → `to`. */
async function focusCell(page: Page, names: string[], from: string, to: string): Promise<void> {
  await page.getByTestId('mesh-matrix').focus();
  for (let i = 0; i < names.indexOf(from); i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < names.indexOf(to); i++) await page.keyboard.press('ArrowRight');
}

describe('a relay applied from the Firewall screen, in every view (hard-nat)', () => {
  let ui: UiBackend;
  let page: Page;
  const agents = new FakeHardNatAgents();
  const diagnosis = report(hardNatEvidence(), 900);

  beforeAll(async () => {
    ui = await startUiBackend('ui-relay', { meshSource: () => agents });
    await ui.handlers['cluster:create']({ name: 'hard-nat', discovery: { mode: 'node', port: 3000 } });
    for (const [name, site] of [
      ['cloud1', 'cloud'],
      ['edge1', 'edge'],
      ['edge2', 'edge'],
    ] as const)
      await ui.handlers['machine:add'](viewMachine(name, site));
    // edge2 counts as onboarded, so Apply pushes to it; its SSH port refuses, so the push fails there.
    (ui.services.machines as unknown as { store: MachineStore }).store.setState('hard-nat', 'edge2', 'onboarded');
    ui.services.diagnosis.last = () => diagnosis;
    await ui.handlers['mesh:get']({});
    page = await ui.open('#firewall');
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('offers the relay through cloud1 for edge1-edge2, and Apply saves it in the cluster settings, naming the node the push failed on', async () => {
    const card = page.getByTestId('finding-PAIR_NO_INBOUND_END');
    const offer = card.getByTestId('relay-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('relay the pair through cloud1');
    expect(await card.getByTestId('fix-box').textContent()).toContain('Change request');
    await offer.getByRole('button', { name: 'Apply: relay edge1 ↔ edge2 through cloud1' }).click();
    await expect
      .poll(() => card.getByTestId('relay-result').textContent())
      .toContain("Relay edge1 ↔ edge2 through cloud1 saved in the cluster's settings; 1 could not take it;");
    expect(await card.getByTestId('relay-result').textContent()).not.toContain('pushed to');
    expect(await card.getByTestId('relay-push-failed').textContent()).toMatch(/^✕ edge2: failed at \w+: .+ \(fix: .+\)$/);
    const { settings } = await ui.handlers['settings:get']({});
    expect(settings.relays).toEqual([{ between: ['edge1', 'edge2'], via: 'cloud1' }]);
    agents.take(settings.relays ?? []);
    ui.services.mesh.flush();
  });

  it('shows the pair relayed in the matrix: its own symbol, colour and legend entry, and "relayed through cloud1" in the cell label', async () => {
    const names = (await ui.handlers['mesh:get']({})).nodes.map((n) => n.name);
    await page.getByTestId('nav-mesh').click();
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('2 ↪ relayed');
    expect(await page.getByRole('list', { name: 'Legend' }).first().textContent()).toContain('↪relayed');
    await expect.poll(() => pixelsOf(page, 'mesh-matrix', 'relayed')).toBeGreaterThan(0);
    await focusCell(page, names, 'edge1', 'edge2');
    await expect.poll(() => page.getByTestId('mesh-matrix-focus').textContent()).toBe('edge1 → edge2: ↪ relayed through cloud1; back ↪ relayed through cloud1');
    const health = await ui.handlers['health:get']({});
    expect(health.relayed.map((p) => [p.from, p.to, p.via])).toEqual([
      ['edge1', 'edge2', 'cloud1'],
      ['edge2', 'edge1', 'cloud1'],
    ]);
    expect(health.fragile.some((p) => [p.from, p.to].sort().join() === 'edge1,edge2')).toBe(false);
  });

  it('says in the pair panel that it is relayed, through which node, since when, and the relayed round trip', async () => {
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('pair-detail');
    await expect.poll(() => panel.getByTestId('pair-state').textContent()).toContain('relayed through cloud1');
    expect(await panel.getByTestId('pair-relayed-since').textContent()).toMatch(/ago\)$/);
    expect(await panel.getByTestId('pair-rtt').textContent()).toBe(`${RELAYED_RTT_MS.toFixed(1)} ms (both hops, edge1 → cloud1 → edge2)`);
    expect(await panel.textContent()).toContain('Round trip through cloud1');
    await screenshots(page, 'relay-mesh', false);
  });

  it('draws the pair through cloud1 on the topology, not as a direct link, and its path view shows both hops', async () => {
    await page.getByTestId('nav-topology').click();
    const link = page.getByTestId('link-edge1-edge2');
    await link.waitFor();
    expect(await link.getAttribute('data-via')).toBe('cloud1');
    expect(await link.getAttribute('aria-label')).toBe('edge1 and edge2: relayed through cloud1 (edge1 → cloud1 → edge2). Open the path view');
    expect(await link.locator('path.link').getAttribute('class')).toBe('link link-relayed');
    const centre = await page
      .getByRole('button', { name: /^cloud1, cloud/ })
      .locator('circle')
      .evaluate((c) => {
        const circle = c as unknown as { cx: { baseVal: { value: number } }; cy: { baseVal: { value: number } } };
        return { x: circle.cx.baseVal.value, y: circle.cy.baseVal.value };
      });
    const nearest = await link.locator('path.link').evaluate((el, at) => {
      const path = el as unknown as { getTotalLength(): number; getPointAtLength(l: number): { x: number; y: number } };
      let best = Infinity;
      for (let l = 0; l <= path.getTotalLength(); l += 1) {
        const p = path.getPointAtLength(l);
        best = Math.min(best, Math.hypot(p.x - at.x, p.y - at.y));
      }
      return best;
    }, centre);
    expect(nearest).toBeLessThan(1);
    expect(await page.getByTestId('topology-summary').textContent()).toContain('1 relayed');
    await link.focus();
    await page.keyboard.press('Enter');
    const relay = page.getByTestId('path-relay');
    await relay.waitFor();
    expect(await relay.getByRole('heading').textContent()).toBe('↪ Relayed through cloud1: edge1 → cloud1 → edge2');
    expect(await relay.getByTestId('lane-edge1-cloud1').getAttribute('data-reach')).toBe('open');
    expect(await relay.getByTestId('lane-edge2-cloud1').getAttribute('data-reach')).toBe('open');
    expect(await page.getByTestId('path-view').getByTestId('lane-edge1-edge2').getAttribute('data-reach')).toBe('blocked');
    await screenshots(page, 'relay-topology');
  });

  it('takes the relay back with Remove on the Settings screen, and the pair shows down again once the agents have it', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByRole('button', { name: 'Remove the relay of edge1 ↔ edge2 through cloud1' }).click();
    await expect.poll(() => page.getByTestId('settings-form').textContent()).toContain('No relays applied.');
    const { settings } = await ui.handlers['settings:get']({});
    expect(settings.relays).toEqual([]);
    agents.take(settings.relays ?? []);
    ui.services.mesh.flush();
    await page.getByTestId('nav-mesh').click();
    await expect.poll(() => page.getByTestId('mesh-summary').textContent()).toContain('2 ✕ down');
    expect(await page.getByTestId('mesh-summary').textContent()).not.toContain('relayed');
    expect((await ui.handlers['health:get']({})).relayed).toEqual([]);
  });
});
