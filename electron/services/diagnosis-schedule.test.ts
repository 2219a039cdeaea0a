import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MachineState } from '../contract/machines.js';
import { DiagnosisSchedule } from './diagnosis-schedule.js';
import { DomainEvents } from './domain-events.js';

function setup(states: MachineState[], minutes = 10) {
  const machines = states.map((state, i) => ({ name: `m${i}`, state }));
  const runs: number[] = [];
  const inventory = new DomainEvents();
  let clock = 0;
  const schedule = new DiagnosisSchedule({
    diagnosis: { run: async () => void runs.push(clock) },
    clusters: {
      list: () => [{ name: 'lab', current: true }] as never,
      settings: () => ({ diagnosisIntervalMinutes: minutes }) as never,
    },
    machineStore: { list: () => machines as never },
    inventory,
    settleMs: 1000,
    tickMs: 60_000,
    now: () => clock,
  });
  const advance = async (ms: number) => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  const onboarded = (i: number) => {
    (machines[i] as { state: MachineState }).state = 'onboarded';
    inventory.emit({ kind: 'machine-state', cluster: 'lab', machine: `m${i}`, state: 'onboarded' });
  };
  return { schedule, runs, advance, onboarded, machines };
}

afterEach(() => vi.useRealTimers());

describe('the diagnosis schedule', () => {
  it('diagnoses once onboarding settles: not while a machine still onboards', async () => {
    vi.useFakeTimers();
    const { schedule, runs, advance, onboarded } = setup(['onboarding', 'onboarding']);
    onboarded(0);
    await advance(1000);
    expect(runs).toEqual([]);
    onboarded(1);
    await advance(1000);
    expect(runs).toHaveLength(1);
    schedule.stop();
  });

  it('diagnoses on the interval of the settings, and never with 0 or with no onboarded machine', async () => {
    vi.useFakeTimers();
    const every = setup(['onboarded'], 10);
    await every.advance(9 * 60_000);
    expect(every.runs).toEqual([]);
    await every.advance(60_000);
    expect(every.runs).toEqual([10 * 60_000]);
    every.schedule.stop();

    const off = setup(['onboarded'], 0);
    await off.advance(60 * 60_000);
    expect(off.runs).toEqual([]);
    off.schedule.stop();

    const none = setup(['added'], 1);
    await none.advance(10 * 60_000);
    expect(none.runs).toEqual([]);
    none.schedule.stop();
  });
});
