/**
 * When a failed webhook delivery is tried again (API.md, Events and webhooks): exponential
 * backoff from `baseMs` (1 s in production), doubling after every failure, until the event
 * has been failing for `giveUpAfterMs` (24 h); the attempt at that moment is the last, and
 * if it fails too the webhook is disabled. Delays never overshoot the give-up moment, so the
 * last attempt happens at it rather than up to a day later.
 */
export interface RetryPolicy {
  baseMs: number;
  giveUpAfterMs: number;
}

export type RetryDecision = { kind: 'RETRY'; at: Date } | { kind: 'DISABLE' };

/** `attempts`: failed attempts at this event so far, this one included (1 after the first failure). */
export function afterFailure(policy: RetryPolicy, attempts: number, failingSince: Date, now: Date): RetryDecision {
  if (!(attempts >= 1)) throw new RangeError(`attempts must be at least 1, got ${attempts}`);
  const giveUpAt = failingSince.getTime() + policy.giveUpAfterMs;
  if (now.getTime() >= giveUpAt) return { kind: 'DISABLE' };
  // 2^(attempts-1) grows past any give-up window long before it leaves the safe integers.
  const delay = policy.baseMs * 2 ** Math.min(attempts - 1, 40);
  return { kind: 'RETRY', at: new Date(Math.min(now.getTime() + delay, giveUpAt)) };
}
