import { describe, expect, it } from 'vitest';
import type { OnboardingProgress, OnboardingResult } from '../../electron/contract/onboarding.js';
import { progressView, pushLine, withProgressLines, type ProgressOut } from '../../electron/cli/onboard-progress.js';
import { EventBus } from '../../electron/services/events.js';

function stream(isTTY: boolean): ProgressOut & { text: string } {
  const out = { isTTY, columns: 120, text: '', write: (s: string) => ((out.text += s), true) };
  return out;
}

const event = (
  machine: string,
  step: OnboardingProgress['step'],
  state: OnboardingProgress['state'],
  percent: number,
  log: string[] = [],
  error?: OnboardingProgress['error'],
): OnboardingProgress => ({ machine, runId: 1, kind: 'onboard', step, state, percent, log, ...(error ? { error } : {}) });
const results: OnboardingResult[] = [
  { machine: 'edge1', runId: 1, ok: true },
  { machine: 'dc1', runId: 2, ok: false, failedStep: 'packages', error: { code: 'PACKAGES', message: 'apt-get failed' } },
];

describe('onboarding progress', () => {
  it('on a terminal, redraws one row per host in place with step, bar and elapsed time', () => {
    const out = stream(true);
    let now = 1_000;
    const view = progressView(out, 'table', ['edge1', 'dc1'], () => now);
    expect(out.text).toBe(
      [
        'edge1  [--------------------]   0%              pending    -:--  waiting',
        'dc1    [--------------------]   0%              pending    -:--  waiting',
        '',
      ].join('\n'),
    );
    out.text = '';
    view.update(event('edge1', 'connect', 'running', 0, ['ssh root@10.0.3.10']));
    now += 65_000;
    view.update(event('edge1', 'packages', 'running', 50));
    const frames = out.text.split('\x1b[2A\x1b[J');
    expect(frames).toHaveLength(3);
    expect(frames[2]).toBe(
      [
        'edge1  [##########----------]  50%  packages    running    1:05  ssh root@10.0.3.10',
        'dc1    [--------------------]   0%              pending    -:--  waiting',
        '',
      ].join('\n'),
    );
    out.text = '';
    view.update(event('edge1', 'verify', 'done', 100));
    now += 30_000;
    view.update(event('dc1', 'packages', 'failed', 30, [], { code: 'PACKAGES', message: 'apt-get failed', hint: 'check the mirror' }));
    view.done(results);
    const last = out.text.split('\x1b[2A\x1b[J').at(-1);
    expect(last).toBe(
      [
        'edge1  [####################] 100%  verify      done       1:05  ssh root@10.0.3.10',
        'dc1    [######--------------]  30%  packages    failed     0:00  apt-get failed (fix: check the mirror)',
        'edge1: onboarded',
        'dc1: failed at packages: apt-get failed',
        '',
      ].join('\n'),
    );
  });

  it('cuts rows to the terminal width so a redraw never wraps', () => {
    const out = { ...stream(true), columns: 40 };
    const view = progressView(out, 'table', ['edge1'], () => 0);
    view.update(event('edge1', 'connect', 'running', 0, ['a very long log line that would wrap the terminal']));
    for (const line of out.text.split('\x1b[1A\x1b[J').flatMap((frame) => frame.split('\n'))) expect(line.length).toBeLessThan(40);
    view.done([]);
  });

  it('piped, prints one line per event as it happens', () => {
    const out = stream(false);
    const view = progressView(out, 'table', ['dc1'], () => 0);
    view.update(
      event('dc1', 'packages', 'failed', 30, ['apt-get install wireguard-tools'], { code: 'PACKAGES', message: 'apt-get failed', hint: 'check the mirror' }),
    );
    view.done(results.slice(1));
    expect(out.text).toBe(
      [
        '[dc1]  30% packages    failed',
        '[dc1]      apt-get install wireguard-tools',
        '[dc1]      error: apt-get failed',
        '[dc1]      fix: check the mirror',
        'dc1: failed at packages: apt-get failed',
        '',
      ].join('\n'),
    );
    expect(out.text).not.toContain('\x1b');
  });

  it('under -o json, streams one JSON object per event, then the results', () => {
    const out = stream(true);
    const view = progressView(out, 'json', ['edge1'], () => 0);
    view.update(event('edge1', 'connect', 'running', 0));
    expect(out.text.split('\n')).toHaveLength(2);
    view.done(results.slice(0, 1));
    expect(
      out.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { event: 'progress', progress: event('edge1', 'connect', 'running', 0) },
      { event: 'done', results: results.slice(0, 1) },
    ]);
  });

  it('shows a settings push as lines while it runs, then each node applied, unchanged or failed with the fix', async () => {
    const out = stream(false);
    const bus = new EventBus();
    const got = await withProgressLines(bus, out, async () => {
      bus.emit('onboard:progress', event('edge1', 'config', 'skipped', 50, ['config unchanged']));
      return 'pushed';
    });
    bus.emit('onboard:progress', event('edge1', 'verify', 'done', 100));
    expect([got, out.text]).toEqual(['pushed', '[edge1]  50% config      skipped\n[edge1]      config unchanged\n']);
    const applied: OnboardingResult = { machine: 'edge1', runId: 1, ok: true };
    const failed: OnboardingResult = {
      machine: 'dc1',
      runId: 2,
      ok: false,
      failedStep: 'config',
      error: { code: 'REMOTE_COMMAND_FAILED', message: 'config: disk full', hint: 'dc1 keeps its old config' },
    };
    expect([{ ...applied, changed: true }, { ...applied, changed: false }, failed].map(pushLine)).toEqual([
      'edge1: applied',
      'edge1: unchanged (its agent had this config; nothing written or restarted)',
      'dc1: failed at config: config: disk full (fix: dc1 keeps its old config)',
    ]);
  });
});
