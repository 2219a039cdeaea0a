import * as z from 'zod';

/**
 * A whole number from `min` to `max` whose every refusal (not a number, a fraction, out of
 * range) says one thing people can act on, by default "use a whole number from MIN to MAX".
 */
export function wholeNumber(min: number, max: number, message = `use a whole number from ${min} to ${max}`): z.ZodNumber {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** A TCP or UDP port. */
export const portNumber = (): z.ZodNumber => wholeNumber(1, 65535, 'use a port from 1 to 65535');
