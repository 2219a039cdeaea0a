import { describe, expect, it } from 'vitest';
import { ManualClock } from '../shared/clock.js';
import { SpanwiseError } from '../shared/errors.js';
import type { Logger, LogFields } from '../shared/log.js';
import type { ResourceKind } from '../resources/kinds.js';
import { ResourceStore } from '../resources/store.js';
import { exclusive, scopedStore, shared } from './access.js';
import { ControllerRuntime, type Controller } from './runtime.js';

const A: ResourceKind<{ n: number }> = { name: 'a' };
const B: ResourceKind<{ n: number }> = { name: 'b' };
const C: ResourceKind<{ n: number }> = { name: 'c' };

function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const noop = (name: string, outputs: Controller['outputs']): Controller => ({ name, inputs: [], outputs, run: () => {} });

function caught(fn: () => unknown): SpanwiseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SpanwiseError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('controller store handles', () => {
  it('refuses a write to a kind the controller did not declare, naming the controller and the kind, and keeps the store unchanged', async () => {
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    const log = recordingLogger();
    const runtime = new ControllerRuntime(store, clock, log).add({
      name: 'doubler',
      inputs: [A],
      outputs: [exclusive(B)],
      run: ({ store: s }) => {
        for (const r of s.list(A)) s.upsert(B, r.id, { n: r.spec.n * 2 });
        s.upsert(C, 'x', { n: 0 });
      },
    });
    store.upsert(A, 'x', { n: 21 });
    await runtime.settle();
    expect(store.get(B, 'x')?.spec.n).toBe(42);
    expect(store.list(C)).toEqual([]);
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        message: 'controller failed',
        fields: { controller: 'doubler', error: "controller 'doubler' wrote 'c', which is not among its outputs", failures: 1 },
      },
    ]);
  });

  it('refuses deletes and replaces outside the outputs, and reads outside the inputs, reads and outputs', () => {
    const store = new ResourceStore(new ManualClock());
    store.upsert(C, 'x', { n: 1 });
    const handle = scopedStore(store, { name: 'reader', inputs: [A], reads: [B], outputs: [] });
    expect(handle.list(A)).toEqual([]);
    expect(handle.get(B, 'x')).toBeUndefined();
    expect(caught(() => handle.delete(C, 'x'))).toMatchObject({
      code: 'CONTROLLER_UNDECLARED_WRITE',
      hint: "add 'c' to the outputs of 'reader' (exclusive unless another controller writes it too)",
    });
    expect(caught(() => handle.replaceAll(A, []))).toMatchObject({
      code: 'CONTROLLER_UNDECLARED_WRITE',
      message: "controller 'reader' wrote 'a', which is not among its outputs",
    });
    expect(caught(() => handle.get(C, 'x'))).toMatchObject({
      code: 'CONTROLLER_UNDECLARED_READ',
      message: "controller 'reader' read 'c', which is not among its inputs, reads or outputs",
    });
    expect(store.get(C, 'x')?.spec.n).toBe(1);
  });

  it('lets every controller that declares a shared output write it', async () => {
    const clock = new ManualClock();
    const store = new ResourceStore(clock);
    const writer = (name: string): Controller => ({ name, inputs: [], outputs: [shared(C)], run: ({ store: s }) => void s.upsert(C, name, { n: 1 }) });
    await new ControllerRuntime(store, clock, recordingLogger()).add(writer('one'), writer('two')).settle();
    expect(store.list(C).map((r) => r.id)).toEqual(['one', 'two']);
  });
});

describe('controller registration', () => {
  const runtime = () => {
    const clock = new ManualClock();
    return new ControllerRuntime(new ResourceStore(clock), clock, recordingLogger());
  };

  it('refuses two exclusive owners of one kind, in one call or across calls', () => {
    expect(caught(() => runtime().add(noop('first', [exclusive(B)]), noop('second', [exclusive(B)])))).toMatchObject({
      code: 'CONTROLLER_OUTPUT_CONFLICT',
      message: "controller 'first' owns 'b' exclusively, but 'second' also declares it as an output",
    });
    const r = runtime().add(noop('first', [exclusive(B)]));
    expect(caught(() => r.add(noop('second', [exclusive(B)])))).toMatchObject({ code: 'CONTROLLER_OUTPUT_CONFLICT' });
    expect(r.controllers.map((c) => c.name)).toEqual(['first']);
  });

  it('refuses a shared claim on a kind another controller owns exclusively, and a name used twice', () => {
    expect(caught(() => runtime().add(noop('shares', [shared(B)]), noop('owns', [exclusive(B)])))).toMatchObject({
      code: 'CONTROLLER_OUTPUT_CONFLICT',
      message: "controller 'owns' owns 'b' exclusively, but 'shares' also declares it as an output",
    });
    expect(caught(() => runtime().add(noop('same', [exclusive(A)]), noop('same', [exclusive(B)])))).toMatchObject({ code: 'CONTROLLER_NAME_TAKEN' });
  });

  it('accepts shared owners and distinct exclusive owners', () => {
    const r = runtime().add(noop('one', [exclusive(A), shared(C)]), noop('two', [exclusive(B), shared(C)]));
    expect(r.controllers.map((c) => c.name)).toEqual(['one', 'two']);
  });
});
