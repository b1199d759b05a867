export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** Ceiling, so a phone that was offline for a day still tries every few minutes. */
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 5_000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of base·2^(n-1),
 * capped, so a whole street of phones regaining signal together does not retry in lockstep.
 * `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, policy: BackoffPolicy = defaultBackoff): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
}
