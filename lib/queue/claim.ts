import { db, type TranscodeSession } from '@/lib/db'
import { SESSION_POLICY } from './policy'

/**
 * Hands the next runnable session to `workerId`: a QUEUED one whose runAt has come, or an active
 * one whose lease expired (its worker died). SKIP LOCKED lets many workers claim concurrently
 * without ever getting the same row.
 */
export async function claimNextSession(workerId: string, leaseMs: number = SESSION_POLICY.leaseMs): Promise<TranscodeSession | null> {
  const rows = await db.$queryRaw<TranscodeSession[]>`
    UPDATE "TranscodeSession" SET
      state = 'STARTING', "leaseOwner" = ${workerId},
      "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}),
      attempt = attempt + 1, "startedAt" = now(), "updatedAt" = now(), error = NULL
    WHERE id = (
      SELECT id FROM "TranscodeSession"
      WHERE (state = 'QUEUED' AND "runAt" <= now())
         OR (state IN ('STARTING', 'RUNNING', 'COMPLETED') AND "leaseExpiresAt" < now())
      ORDER BY "runAt", "createdAt"
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
    RETURNING *`
  return rows[0] ?? null
}

/** Extends the lease; false when another worker took the session over (ours expired). */
export async function renewLease(sessionId: string, workerId: string, leaseMs: number = SESSION_POLICY.leaseMs): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "TranscodeSession" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${sessionId} AND "leaseOwner" = ${workerId}
      AND state IN ('STARTING', 'RUNNING', 'COMPLETED')`
  return n === 1
}

/** On graceful shutdown: give the session back to the queue at once, without counting the attempt. */
export async function releaseLease(sessionId: string, workerId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "TranscodeSession" SET state = 'QUEUED', "leaseOwner" = NULL, "leaseExpiresAt" = NULL,
      attempt = GREATEST(attempt - 1, 0), "runAt" = now(), "updatedAt" = now()
    WHERE id = ${sessionId} AND "leaseOwner" = ${workerId}
      AND state IN ('STARTING', 'RUNNING', 'COMPLETED')`
}
