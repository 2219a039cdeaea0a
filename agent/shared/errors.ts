/** A value in error details: flat and JSON-safe. */
export type ErrorDetailValue = string | number | boolean;

/**
 * Structured facts about an error, for programs (the UI, scripts reading --json), so they never
 * parse the message: e.g. a host key's `fingerprint` and `address`, or a failed call's `grpcCode`.
 * Small and bounded (see DETAIL_LIMITS); never secrets.
 */
export type ErrorDetails = Readonly<Record<string, ErrorDetailValue>>;

/** Bounds of error details: how many fields, how long a field name and a string value may be. */
export const DETAIL_LIMITS = { fields: 16, name: 32, value: 512 } as const;

/** What a detail field name looks like: a short identifier, e.g. `fingerprint`, `grpcCode`. */
export const DETAIL_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/**
 * The error envelope that crosses every boundary (UI contract, CLI --json,
 * gRPC details): a stable code, a message for people, a hint with the fix, and
 * details for programs. Messages, hints and details never contain secrets.
 */
export interface ErrorEnvelope {
  code: string;
  message: string;
  hint?: string;
  details?: ErrorDetails;
}

/**
 * Details within DETAIL_LIMITS: fields beyond the limit, with other names or with values that
 * are not JSON-safe (NaN, Infinity) are dropped; long strings are cut. Undefined when none is left.
 */
export function boundDetails(details: Readonly<Record<string, ErrorDetailValue | undefined>> | undefined): ErrorDetails | undefined {
  if (!details) return undefined;
  const kept: Record<string, ErrorDetailValue> = {};
  let count = 0;
  for (const [name, value] of Object.entries(details)) {
    if (count === DETAIL_LIMITS.fields) break;
    if (!DETAIL_NAME.test(name)) continue;
    if (typeof value === 'string') kept[name] = value.slice(0, DETAIL_LIMITS.value);
    else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) kept[name] = value;
    else continue;
    count++;
  }
  return count ? kept : undefined;
}

/** An error that carries an envelope; thrown by services, rendered by entry points. */
export class SpanwiseError extends Error {
  /** The error's details, bounded (boundDetails). */
  readonly details?: ErrorDetails;

  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    details?: Readonly<Record<string, ErrorDetailValue | undefined>>,
  ) {
    super(message);
    this.name = 'SpanwiseError';
    const bounded = boundDetails(details);
    if (bounded) this.details = bounded;
  }

  toEnvelope(): ErrorEnvelope {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Bad command-line usage: entry points print it with the usage line and exit 2. */
export class UsageError extends SpanwiseError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint);
    this.name = 'UsageError';
  }
}

/** Turns anything thrown into an envelope without leaking stack traces. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof SpanwiseError) return error.toEnvelope();
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
