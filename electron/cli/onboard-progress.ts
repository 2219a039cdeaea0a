import { stringify as toYaml } from 'yaml';
import type { OutputFormat } from '../../agent/shared/output-format.js';
import type { OnboardingProgress, OnboardingResult } from '../contract/onboarding.js';
import type { EventBus } from '../services/events.js';

/** Where progress goes: stdout, or a test's stand-in that says whether it is a terminal. */
export interface ProgressOut {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Shows an onboarding run as it happens and its outcome at the end. */
export interface ProgressView {
  update(progress: OnboardingProgress): void;
  done(results: OnboardingResult[]): void;
}

/** One line per event (and its log lines), for logs and pipes. */
export function progressLine(p: OnboardingProgress): string {
  const head = `[${p.machine}] ${String(p.percent).padStart(3)}% ${p.step.padEnd(11)} ${p.state}`;
  const lines = [head, ...p.log.map((l) => `[${p.machine}]      ${l}`)];
  if (p.error) lines.push(`[${p.machine}]      error: ${p.error.message}${p.error.hint ? `\n[${p.machine}]      fix: ${p.error.hint}` : ''}`);
  return lines.join('\n');
}

/** A settings push's outcome on one node: applied, unchanged (nothing written or restarted), or where it failed and the fix. */
export function pushLine(r: OnboardingResult): string {
  if (r.ok) return `${r.machine}: ${r.changed === false ? 'unchanged (its agent had this config; nothing written or restarted)' : 'applied'}`;
  return `${r.machine}: failed at ${r.failedStep}: ${r.error?.message}${r.error?.hint ? ` (fix: ${r.error.hint})` : ''}`;
}

/** Runs `work` while handing each onboarding progress event from `events` to `onProgress`. */
export async function whileProgress<T>(events: Pick<EventBus, 'subscribe'>, onProgress: (p: OnboardingProgress) => void, work: () => Promise<T>): Promise<T> {
  const unsubscribe = events.subscribe((event, payload) => {
    if (event === 'onboard:progress') onProgress(payload as OnboardingProgress);
  });
  try {
    return await work();
  } finally {
    unsubscribe();
  }
}

/** Runs `work` while writing each onboarding progress event from `events` to `out` as a line (for a settings push). */
export function withProgressLines<T>(events: Pick<EventBus, 'subscribe'>, out: ProgressOut, work: () => Promise<T>): Promise<T> {
  return whileProgress(events, (p) => out.write(`${progressLine(p)}\n`), work);
}

const summary = (results: OnboardingResult[]) =>
  results.map((r) => (r.ok ? `${r.machine}: onboarded\n` : `${r.machine}: failed at ${r.failedStep}: ${r.error?.message}\n`)).join('');

interface HostRow {
  progress?: OnboardingProgress;
  started?: number;
  ended?: number;
  note: string;
}

const finished = (p: OnboardingProgress) => p.state === 'failed' || p.state === 'cancelled' || (p.step === 'verify' && p.state === 'done');

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function bar(percent: number, width = 20): string {
  const full = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** Per-host rows (step, bar, elapsed) redrawn in place on a terminal, every event and every second. */
function terminalView(out: ProgressOut, names: string[], now: () => number): ProgressView {
  const rows = new Map<string, HostRow>(names.map((n) => [n, { note: 'waiting' }]));
  const width = Math.max(...names.map((n) => n.length));
  let drawn = 0;
  const line = (name: string, row: HostRow) => {
    const p = row.progress;
    const time = row.started === undefined ? '-:--' : elapsed((row.ended ?? now()) - row.started);
    const text = `${name.padEnd(width)}  ${bar(p?.percent ?? 0)} ${String(p?.percent ?? 0).padStart(3)}%  ${(p?.step ?? '').padEnd(11)} ${(p?.state ?? 'pending').padEnd(9)} ${time.padStart(5)}  ${row.note}`;
    return text.slice(0, (out.columns && out.columns > 20 ? out.columns : 120) - 1);
  };
  const draw = () => {
    const lines = [...rows].map(([name, row]) => line(name, row));
    out.write(`${drawn ? `\x1b[${drawn}A\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  draw();
  return {
    update(p) {
      const row = rows.get(p.machine);
      if (!row) return;
      row.progress = p;
      row.started ??= now();
      if (finished(p)) row.ended ??= now();
      row.note = p.error ? `${p.error.message}${p.error.hint ? ` (fix: ${p.error.hint})` : ''}` : (p.log.at(-1) ?? row.note);
      draw();
    },
    done(results) {
      clearInterval(timer);
      draw();
      out.write(summary(results));
    },
  };
}

/**
 * The view of an onboarding run for the output format: a live table on a terminal, one line
 * per event when piped, one JSON object per event (NDJSON) under `-o json`, the results as YAML under `-o yaml`.
 */
export function progressView(out: ProgressOut, format: OutputFormat, names: string[], now: () => number = Date.now): ProgressView {
  if (format === 'json') {
    return {
      update: (progress) => out.write(`${JSON.stringify({ event: 'progress', progress })}\n`),
      done: (results) => out.write(`${JSON.stringify({ event: 'done', results })}\n`),
    };
  }
  if (format === 'yaml') return { update: () => undefined, done: (results) => out.write(toYaml(results)) };
  if (out.isTTY) return terminalView(out, names, now);
  return { update: (p) => out.write(`${progressLine(p)}\n`), done: (results) => out.write(summary(results)) };
}
