import { SpanwiseError } from '../shared/errors.js';
import type { ResourceKind } from '../resources/kinds.js';
import type { ResourceStore, StoreHandle } from '../resources/store.js';

/**
 * A kind a controller writes. `exclusive`: no other controller may write it (Talos's
 * OutputExclusive); shared: every controller that declares it may write it (OutputShared), as
 * with health warnings, where each controller keeps to its own codes.
 */
export interface ControllerOutput {
  kind: ResourceKind<unknown>;
  exclusive: boolean;
}

/** An output only this controller writes. */
export function exclusive(kind: ResourceKind<unknown>): ControllerOutput {
  return { kind, exclusive: true };
}

/** An output other controllers may write too. */
export function shared(kind: ResourceKind<unknown>): ControllerOutput {
  return { kind, exclusive: false };
}

/** What a controller declares about the data it touches. */
export interface ControllerDeclaration {
  name: string;
  /** Kinds it reads; a change to one runs it. */
  inputs: readonly ResourceKind<unknown>[];
  /** Kinds it reads on its own schedule, without running on their changes. */
  reads?: readonly ResourceKind<unknown>[];
  outputs: readonly ControllerOutput[];
}

const names = (kinds: readonly ResourceKind<unknown>[]) => kinds.map((k) => k.name);

/**
 * A handle on `store` for one controller: reading a kind it did not declare as an input, a read
 * or an output, or writing a kind it did not declare as an output, throws CONTROLLER_UNDECLARED_*
 * naming the controller and the kind.
 */
export function scopedStore(store: ResourceStore, controller: ControllerDeclaration): StoreHandle {
  const writable = new Set(controller.outputs.map((o) => o.kind.name));
  const readable = new Set([...names(controller.inputs), ...names(controller.reads ?? []), ...writable]);
  const check = (kind: ResourceKind<unknown>, write: boolean) => {
    if ((write ? writable : readable).has(kind.name)) return;
    const what = write ? 'outputs' : 'inputs, reads or outputs';
    throw new SpanwiseError(
      write ? 'CONTROLLER_UNDECLARED_WRITE' : 'CONTROLLER_UNDECLARED_READ',
      `controller '${controller.name}' ${write ? 'wrote' : 'read'} '${kind.name}', which is not among its ${what}`,
      `add '${kind.name}' to the ${write ? 'outputs' : 'inputs or reads'} of '${controller.name}'${write ? ' (exclusive unless another controller writes it too)' : ''}`,
    );
  };
  return {
    get: (kind, id) => (check(kind, false), store.get(kind, id)),
    list: (kind) => (check(kind, false), store.list(kind)),
    upsert: (kind, id, spec) => (check(kind, true), store.upsert(kind, id, spec)),
    delete: (kind, id) => (check(kind, true), store.delete(kind, id)),
    replaceAll: (kind, entries, keep) => (check(kind, true), store.replaceAll(kind, entries, keep)),
  };
}

/**
 * Refuses a set of controllers where two share a name, or where a kind one declares exclusive is
 * also an output of another (CONTROLLER_NAME_TAKEN, CONTROLLER_OUTPUT_CONFLICT).
 */
export function checkOwnership(controllers: readonly ControllerDeclaration[]): void {
  const seen = new Set<string>();
  const writers = new Map<string, { name: string; exclusive: boolean }[]>();
  for (const c of controllers) {
    if (seen.has(c.name)) throw new SpanwiseError('CONTROLLER_NAME_TAKEN', `two controllers are named '${c.name}'`, 'give each controller its own name');
    seen.add(c.name);
    for (const o of c.outputs) writers.set(o.kind.name, [...(writers.get(o.kind.name) ?? []), { name: c.name, exclusive: o.exclusive }]);
  }
  for (const [kind, owners] of writers) {
    const sole = owners.find((o) => o.exclusive);
    if (!sole || owners.length === 1) continue;
    const others = owners
      .filter((o) => o !== sole)
      .map((o) => `'${o.name}'`)
      .join(', ');
    throw new SpanwiseError(
      'CONTROLLER_OUTPUT_CONFLICT',
      `controller '${sole.name}' owns '${kind}' exclusively, but ${others} also declare${owners.length > 2 ? '' : 's'} it as an output`,
      `let one controller write '${kind}', or declare it shared in all of them`,
    );
  }
}
