import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport, FixResult, FixRevertResult } from '../../electron/contract/index.js';
import { report } from '../../electron/services/diagnosis/diagnose.js';
import { reportChanges } from '../../electron/services/diagnosis/fix/report-changes.js';
import { hostFirewallEvidence } from '../support/diagnosis-fixtures/lab-scenarios.js';
import { screenshots, startUiBackend, type UiBackend } from './ui-backend.js';

/** host-firewall before the fix (cloud2's nftables drop UDP 51820) and after it (cloud2's ruleset as cloud1's, every probe to cloud2 arriving). */
function reports(): { before: DiagnosisReport; after: DiagnosisReport } {
  const evidence = hostFirewallEvidence('up');
  const open = evidence.nodes.find((n) => n.name === 'cloud1')?.firewall;
  const opened = {
    ...evidence,
    nodes: evidence.nodes.map((n) => (n.name === 'cloud2' && open ? { ...n, firewall: open } : n)),
    pairs: evidence.pairs.map((p) => (p.to === 'cloud2' ? { ...p, udp51820: 'open' as const } : p)),
  };
  return { before: report(evidence, 900), after: report(opened, 900) };
}

describe('the result of a fix on the Firewall screen, with Undo', () => {
  let ui: UiBackend;
  let page: Page;
  const { before, after } = reports();
  const reverts: string[] = [];

  beforeAll(async () => {
    ui = await startUiBackend('ui-fix-result');
    await ui.handlers['cluster:create']({ name: 'lab', discovery: { mode: 'node', port: 3000 } });
    // A stand-in for the host side: the diagnosis is one of the two reports, the fix and its revert swap them.
    const diagnosis = ui.services.diagnosis;
    let current = before;
    const show = (next: DiagnosisReport) => ((current = next), ui.services.events.emit('diagnosis:report', next), next);
    diagnosis.last = () => current;
    diagnosis.run = async () => show(current);
    diagnosis.apply = async (findingId, node): Promise<FixResult> => {
      show(after);
      const commands = before.findings.find((f) => f.id === findingId)?.remediation.hostFixes[0]?.apply ?? [];
      return { findingId, applied: true, reverted: false, cleared: true, log: [], fixId: 'udp-51820', node, commands, recheck: reportChanges(before, after) };
    };
    diagnosis.revert = async (node, fixId): Promise<FixRevertResult> => {
      reverts.push(`${node}:${fixId}`);
      show(before);
      return {
        node,
        fixId,
        reverted: true,
        changes: [{ kind: 'runtime', action: 'removed', what: 'rule inet filter input handle 7' }],
        log: [],
        recheck: reportChanges(after, before),
      };
    };
    page = await ui.open('#firewall');
  });
  afterAll(async () => {
    await ui?.close();
  });

  const marks = () => page.getByTestId('udp-matrix').locator('xpath=..').locator('.cell-changed');

  it('after Apply shows the commands, the cells and pairs that turned green, and highlights those cells for a while', async () => {
    const finding = page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED');
    await finding.getByRole('button', { name: 'Apply on cloud2…' }).click();
    await page.getByTestId('apply-dialog').getByRole('button', { name: 'Apply with automatic revert' }).click();
    const panel = page.getByTestId('fix-result');
    await panel.waitFor();
    expect(await finding.count()).toBe(0);
    expect(await panel.locator('pre.commands').textContent()).toContain('51820');
    expect(await panel.getByTestId('fix-changes').locator('li').allTextContents()).toEqual([
      'cloud1 → cloud2 UDP 51820: ✕ blocked → ✓ open',
      'edge1 → cloud2 UDP 51820: ✕ blocked → ✓ open',
      'cloud1 / cloud2: ≈ fragile → ✓ up',
      'cloud2 / edge1: ✕ down → ≈ fragile',
    ]);
    expect((await Promise.all((await marks().all()).map((m) => m.getAttribute('data-cell')))).sort()).toEqual(['cloud1>cloud2', 'edge1>cloud2']);
    const canvas = await page.getByTestId('udp-matrix').boundingBox();
    const mark = await marks().first().boundingBox();
    expect(canvas && mark && mark.x >= canvas.x && mark.y >= canvas.y && mark.x + mark.width <= canvas.x + canvas.width).toBe(true);
    expect(await page.getByTestId('tcp-matrix').locator('xpath=..').locator('.cell-changed').count()).toBe(0);
    await screenshots(page, 'firewall-fix-result');
    await expect.poll(() => marks().count(), { timeout: 15_000 }).toBe(0);
  });

  it('Undo runs the revert of that fix and shows what the undo changed, highlighted again', async () => {
    const panel = page.getByTestId('fix-result');
    await panel.getByRole('button', { name: 'Undo' }).click();
    await panel.getByTestId('undo-result').waitFor();
    expect(reverts).toEqual(['cloud2:udp-51820']);
    expect(await panel.getByRole('heading').textContent()).toContain('Fix undone on cloud2');
    expect(await panel.getByTestId('undo-changes').locator('li').first().textContent()).toBe('cloud1 → cloud2 UDP 51820: ✓ open → ✕ blocked');
    expect(await panel.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    await expect.poll(() => marks().count()).toBe(2);
    await page.getByTestId('finding-UDP_51820_INBOUND_BLOCKED').waitFor();
  });
});
