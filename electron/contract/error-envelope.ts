import { z } from 'zod';
import { DETAIL_LIMITS, DETAIL_NAME, type ErrorEnvelope } from '../../agent/shared/errors.js';

const detailValue = z.union([z.string().max(DETAIL_LIMITS.value), z.number().finite(), z.boolean()]);

/** Error details as they cross the boundary: short identifiers to flat JSON values, at most DETAIL_LIMITS.fields of them. */
export const errorDetailsSchema = z
  .record(z.string().regex(DETAIL_NAME, 'use a short identifier as a detail name'), detailValue)
  .refine((details) => Object.keys(details).length <= DETAIL_LIMITS.fields, `at most ${DETAIL_LIMITS.fields} details`);

/**
 * The error envelope of every failed invoke (`InvokeResult`), checked before it leaves the
 * backend: code, message, optional hint, and optional details (ErrorDetails).
 */
export const errorEnvelopeSchema = z.strictObject({
  code: z.string().min(1).max(64),
  message: z.string(),
  hint: z.string().optional(),
  details: errorDetailsSchema.optional(),
}) satisfies z.ZodType<ErrorEnvelope>;
