import type { ZodType } from 'zod';

/** One problem a contract schema found: where in the value (e.g. `['ssh', 'port']`), and the schema's message. */
export interface SchemaIssue {
  path: PropertyKey[];
  message: string;
}

/** What the schema says about `value`: nothing when it passes. */
export function schemaIssues(schema: ZodType, value: unknown): SchemaIssue[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: [...issue.path], message: issue.message }));
}

/**
 * A whole number typed as text (schemas take numbers; they say what range is fine),
 * or undefined when the text is not one.
 */
export function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** Lines of a list field, trimmed, empty ones dropped. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
