import type { OptionHelp } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { outputOptionHelp, outputOptions } from '../../agent/shared/output-format.js';

/** The option every `spanwise` command takes to select its state. */
export const dataDirOption = { 'data-dir': { type: 'string' } } as const;

/** Help of `--data-dir`. */
export const dataDirHelp: Record<string, OptionHelp> = {
  'data-dir': { description: 'the state to use: inventory, secrets, discovery state', default: '$SPANWISE_HOME or ~/.config/spanwise', value: 'DIR' },
};

/** The options of a command that prints data: `--data-dir` and the output flag. */
export const dataOptions = { ...dataDirOption, ...outputOptions } as const;

/** Help of {@link dataOptions}. */
export const dataHelp: Record<string, OptionHelp> = { ...dataDirHelp, ...outputOptionHelp };

/**
 * A number typed as a flag, for the contract to check (range, whole number); text that is
 * no number becomes NaN, which the contract refuses naming the field.
 */
export function numberFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** A `true|false` flag; anything else is a usage error naming it. */
export function booleanFlag(value: unknown, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`--${flag} must be true or false, got '${String(value)}'`);
}

/** Exactly one positional argument, or a usage error naming it. */
export function onePositional(positionals: string[], name: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one ${name}`);
  return positionals[0] as string;
}
