/** Reconnect delays: doubling from `baseMs` up to `maxMs`, with up to `jitter` share of random spread. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 60_000, jitter: 0.2 };

/** The delay before reconnect attempt `attempt` (0-based); `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: number = Math.random()): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(raw * (1 - policy.jitter + 2 * policy.jitter * random));
}
