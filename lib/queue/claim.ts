import { db, Prisma, type TranscodeSession } from '@/lib/db'
import { applyMove, type LockedSession, lockSession } from '@/lib/sessions/lifecycle'
import { isLeased, LEASED_STATES } from '@/lib/sessions/states'
import { PRIORITY_POLICY, SESSION_POLICY } from './policy'

// Which session a worker gets, and its lease. The moves themselves (STARTING, back to QUEUED) are
// the session lifecycle's, checked against its transition table like every other move.

const leased = Prisma.join([...LEASED_STATES])

/** Whether a viewer waits for session `s` (a fresh SessionWatch row). */
const watched = Prisma.sql`EXISTS (SELECT 1 FROM "SessionWatch" w WHERE w."sessionId" = s.id
  AND w."seenAt" > now() - make_interval(secs => ${PRIORITY_POLICY.viewerFreshMs / 1000}))`

/**
 * Hands the next runnable session to `workerId`: a QUEUED one whose runAt has come, or a leased one
 * whose lease expired (its worker died). SKIP LOCKED lets many workers claim concurrently without
 * ever getting the same row.
 */
export async function claimNextSession(workerId: string, leaseMs: number = SESSION_POLICY.leaseMs): Promise<TranscodeSession | null> {
  return db.$transaction(async (tx) => {
    // Sessions someone waits for go first; then in the order they became due.
    const [row] = await tx.$queryRaw<LockedSession[]>`
      SELECT s.id, s.state, s."leaseOwner", s."contentHash", s.attempt, now() AS "dbNow"
      FROM "TranscodeSession" s
      WHERE (s.state = 'QUEUED' AND s."runAt" <= now())
         OR (s.state::text IN (${leased}) AND s."leaseExpiresAt" < now())
      ORDER BY ${watched} DESC, s."runAt", s."createdAt"
      FOR UPDATE OF s SKIP LOCKED
      LIMIT 1`
    return row ? take(tx, row, workerId, leaseMs) : null
  })
}

/**
 * Hands `workerId` the next start-up-lane session (lib/queue/priority.ts `laneOf`, written here in
 * SQL): a due, QUEUED first encode that someone waits for or that was uploaded within
 * freshUploadMs. The worker runs it while its current encode is paused.
 */
export async function claimStartupSession(workerId: string, leaseMs: number = SESSION_POLICY.leaseMs): Promise<TranscodeSession | null> {
  return db.$transaction(async (tx) => {
    const fresh = PRIORITY_POLICY.freshUploadMs / 1000
    const [row] = await tx.$queryRaw<LockedSession[]>`
      SELECT s.id, s.state, s."leaseOwner", s."contentHash", s.attempt, now() AS "dbNow"
      FROM "TranscodeSession" s JOIN "Content" c ON c.hash = s."contentHash"
      WHERE s.state = 'QUEUED' AND s."runAt" <= now() AND c."storedAt" IS NULL
        AND (s."createdAt" > now() - make_interval(secs => ${fresh}) OR ${watched})
      ORDER BY ${watched} DESC, s."runAt", s."createdAt"
      FOR UPDATE OF s SKIP LOCKED
      LIMIT 1`
    return row ? take(tx, row, workerId, leaseMs) : null
  })
}

function take(tx: Prisma.TransactionClient, row: LockedSession, workerId: string, leaseMs: number): Promise<TranscodeSession> {
  return applyMove(tx, row, {
    to: 'STARTING',
    session: {
      leaseOwner: workerId,
      leaseExpiresAt: new Date(row.dbNow.getTime() + leaseMs),
      attempt: { increment: 1 },
      startedAt: row.dbNow,
      pausedAt: null,
      error: null,
    },
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
