/**
 * The error envelope that crosses every boundary (UI contract, CLI --json,
 * gRPC details): a stable code, a message for people, and a hint with the fix.
 * Messages and hints never contain secrets.
 */
export interface ErrorEnvelope {
  code: string;
  message: string;
  hint?: string;
}

/** An error that carries an envelope; thrown by services, rendered by entry points. */
export class SpanwiseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SpanwiseError';
  }

  toEnvelope(): ErrorEnvelope {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
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
