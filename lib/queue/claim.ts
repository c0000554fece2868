import { db, Prisma, type TranscodeSession } from '@/lib/db'
import { applyMove, type LockedSession, lockSession } from '@/lib/sessions/lifecycle'
import { isLeased, LEASED_STATES } from '@/lib/sessions/states'
import { SESSION_POLICY } from './policy'

// Which session a worker gets, and its lease. The moves themselves (STARTING, back to QUEUED) are
// the session lifecycle's, checked against its transition table like every other move.

const leased = Prisma.join([...LEASED_STATES])

/**
 * Hands the next runnable session to `workerId`: a QUEUED one whose runAt has come, or a leased one
 * whose lease expired (its worker died). SKIP LOCKED lets many workers claim concurrently without
 * ever getting the same row.
 */
export async function claimNextSession(workerId: string, leaseMs: number = SESSION_POLICY.leaseMs): Promise<TranscodeSession | null> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<LockedSession[]>`
      SELECT id, state, "leaseOwner", "contentHash", attempt, now() AS "dbNow"
      FROM "TranscodeSession"
      WHERE (state = 'QUEUED' AND "runAt" <= now())
         OR (state::text IN (${leased}) AND "leaseExpiresAt" < now())
      ORDER BY "runAt", "createdAt"
      FOR UPDATE SKIP LOCKED
      LIMIT 1`
    if (!row) return null
    return applyMove(tx, row, {
      to: 'STARTING',
      session: {
        leaseOwner: workerId,
        leaseExpiresAt: new Date(row.dbNow.getTime() + leaseMs),
        attempt: { increment: 1 },
        startedAt: row.dbNow,
        error: null,
      },
    })
  })
}

/** Extends the lease; false when another worker took the session over (ours expired). */
export async function renewLease(sessionId: string, workerId: string, leaseMs: number = SESSION_POLICY.leaseMs): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "TranscodeSession" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${sessionId} AND "leaseOwner" = ${workerId}
      AND state::text IN (${leased})`
  return n === 1
}

/** On graceful shutdown: give the session back to the queue at once, without counting the attempt. */
export async function releaseLease(sessionId: string, workerId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await lockSession(tx, sessionId)
    // Already moved on (stored, failed, cancelled, taken over): nothing of ours to give back.
    if (!row || row.leaseOwner !== workerId || !isLeased(row.state)) return
    await applyMove(tx, row, {
      to: 'QUEUED',
      leaseOwner: workerId,
      session: { leaseOwner: null, leaseExpiresAt: null, attempt: Math.max(0, row.attempt - 1), runAt: row.dbNow },
      wake: true,
    })
  })
}
