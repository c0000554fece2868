import { db } from '@/lib/db'

// Failed sign-ins slow down whoever makes them: per account (a guesser aiming at one user) and per
// client address (one client spraying many accounts). After a few free failures each further one
// blocks the key for a doubling time; an attempt while blocked is refused unchecked and counts as
// another failure, so hammering only makes it longer. The state lives in Postgres, not in memory:
// every web node sees the same counts, and restarting a process does not reset them.

export const SIGN_IN_THROTTLE = {
  /** Failures older than this are forgotten. */
  windowMs: 15 * 60_000,
  /** The first delay; each further failure doubles it, up to the kind's cap. */
  baseDelayMs: 1_000,
  /**
   * Failures allowed before any delay, and the longest block. An address may be a whole office
   * behind one NAT, so it gets more free failures and a short cap: a sprayer is slowed to a guess
   * a minute, and a guesser cannot lock everyone behind that address out for long.
   */
  account: { freeFailures: 5, maxDelayMs: 15 * 60_000 },
  address: { freeFailures: 20, maxDelayMs: 60_000 },
} as const

type Kind = 'account' | 'address'

export interface ThrottleKey {
  kind: Kind
  key: string
}

export const accountKey = (email: string): ThrottleKey => ({ kind: 'account', key: `account:${email.trim().toLowerCase()}` })
export const addressKey = (address: string): ThrottleKey => ({ kind: 'address', key: `address:${address}` })

/** How long a key stays blocked after its `failures`-th failure in the window. */
export function throttleDelayMs(failures: number, kind: Kind, policy = SIGN_IN_THROTTLE): number {
  const over = failures - policy[kind].freeFailures
  if (over <= 0) return 0
  return Math.min(policy.baseDelayMs * 2 ** Math.min(over - 1, 30), policy[kind].maxDelayMs)
}

/** True when any of the keys is blocked now. */
export async function signInBlocked(keys: ThrottleKey[]): Promise<boolean> {
  const blocked = await db.signInThrottle.count({ where: { key: { in: keys.map((k) => k.key) }, blockedUntil: { gt: new Date() } } })
  return blocked > 0
}

/** Counts one failure for every key and blocks those past their free failures. */
export async function recordSignInFailure(keys: ThrottleKey[]): Promise<void> {
  const windowSecs = SIGN_IN_THROTTLE.windowMs / 1000
  for (const { kind, key } of keys) {
    // One statement, so concurrent failures each count.
    const [row] = await db.$queryRaw<{ failures: number }[]>`
      INSERT INTO "SignInThrottle" (key, failures, "lastFailureAt", "blockedUntil") VALUES (${key}, 1, now(), now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN "SignInThrottle"."lastFailureAt" < now() - make_interval(secs => ${windowSecs}) THEN 1 ELSE "SignInThrottle".failures + 1 END,
        "lastFailureAt" = now()
      RETURNING failures`
    const delayMs = throttleDelayMs(row.failures, kind)
    if (delayMs > 0) {
      await db.$executeRaw`UPDATE "SignInThrottle" SET "blockedUntil" = GREATEST("blockedUntil", now() + make_interval(secs => ${delayMs / 1000})) WHERE key = ${key}`
    }
  }
  // Every guessed email leaves a row; about one failure in a hundred clears the forgotten ones.
  if (Math.random() < 0.01) await sweepStale()
}

/** Rows whose failures are forgotten and whose block is over; swept now and then by recordSignInFailure. */
async function sweepStale(): Promise<void> {
  const windowSecs = SIGN_IN_THROTTLE.windowMs / 1000
  await db.$executeRaw`DELETE FROM "SignInThrottle" WHERE "lastFailureAt" < now() - make_interval(secs => ${windowSecs}) AND "blockedUntil" < now()`
}

/** A successful sign-in forgets the account's failures (an address keeps its count: it may be a sprayer's). */
export async function clearSignInFailures(key: ThrottleKey): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: key.key } })
}
