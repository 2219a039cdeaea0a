import type { z } from 'zod';

/** A field path as people write it: `filters.endpoints[2]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Describes a zod failure field by field: `ssh.port: use a port from 1 to 65535; name: ...`. */
export function describeIssues(error: z.ZodError, topLevel = 'request'): string {
  return error.issues.map((issue) => `${fieldPath(issue.path) || topLevel}: ${issue.message}`).join('; ');
}
