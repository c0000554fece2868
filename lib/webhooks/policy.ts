// Delivery policy in one place: attempts, backoff, timeouts (like lib/queue/policy.ts for sessions).
export const WEBHOOK_POLICY = {
  /** Attempts before a delivery is marked FAILED: the last one is ~4 h after the first. */
  maxAttempts: 10,
  /** Retry n waits backoffBaseMs * 2^(n-1) (±10 % jitter so failing receivers are not hit in lockstep), capped. */
  backoffBaseMs: 15_000,
  backoffMaxMs: 3_600_000,
  /** A receiver must answer within this. */
  timeoutMs: 10_000,
  /** A claimed delivery whose worker died is claimed again after this. */
  leaseMs: 60_000,
  /** Deliveries sent at once by one worker. */
  concurrency: 4,
  /** Polling fallback when no NOTIFY wakes the loop. */
  pollEveryMs: 2_000,
} as const

export type WebhookPolicy = { -readonly [K in keyof typeof WEBHOOK_POLICY]: number }

/** Delay before attempt `attempt + 1` after `attempt` attempts failed. */
export function webhookBackoffMs(
  attempt: number,
  policy: Pick<WebhookPolicy, 'backoffBaseMs' | 'backoffMaxMs'> = WEBHOOK_POLICY,
  random = Math.random,
): number {
  const base = Math.min(policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1), policy.backoffMaxMs)
  return Math.round(base * (0.9 + random() * 0.2))
}

/** Postgres channel that wakes delivery loops when deliveries are enqueued. */
export const WEBHOOK_CHANNEL = 'reelhouse_webhooks'
