import { db } from '@/lib/db'
import { POSTER_CHANNEL } from './channels'
import { POSTER_POLICY, type PosterPolicy } from './policy'

// Poster frames the owners asked for, as a queue of one row per video (a newer choice replaces the
// older while it waits). Not a transcode session: a poster is a per-video choice over stored,
// immutable content, takes a second of FFmpeg and must not wait behind a long encode, so workers
// claim these in a loop of their own — with the same SKIP LOCKED claim and expiring lease.

export interface ClaimedPosterRender {
  videoId: string
  atMs: number
  requestedAt: Date
  attempts: number
}

/** Queues (or replaces) the request for `videoId` and wakes a worker when the transaction commits. */
export async function requestPosterRender(videoId: string, atMs: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const fresh = { atMs, requestedAt: new Date(), leaseOwner: null, leaseExpiresAt: null, attempts: 0, error: null }
    await tx.posterRender.upsert({ where: { videoId }, create: { videoId, ...fresh }, update: fresh })
    await tx.$executeRaw`SELECT pg_notify(${POSTER_CHANNEL}, ${videoId})`
  })
}

/** Forgets a waiting request (the owner picked a ready-made image instead). */
export async function dropPosterRender(videoId: string): Promise<void> {
  await db.posterRender.deleteMany({ where: { videoId } })
}

/** The oldest request nobody holds (or whose holder's lease expired), leased to `workerId`. */
export async function claimPosterRender(workerId: string, policy: PosterPolicy = POSTER_POLICY): Promise<ClaimedPosterRender | null> {
  const [row] = await db.$queryRaw<ClaimedPosterRender[]>`
    UPDATE "PosterRender" SET "leaseOwner" = ${workerId}, "leaseExpiresAt" = now() + make_interval(secs => ${policy.leaseMs / 1000}), attempts = attempts + 1
    WHERE "videoId" = (
      SELECT "videoId" FROM "PosterRender"
      WHERE attempts < ${policy.maxAttempts} AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
      ORDER BY "requestedAt"
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
    RETURNING "videoId", "atMs", "requestedAt", attempts`
  return row ?? null
}

// A claim is identified by its request time too: when the owner chose again meanwhile, the row is
// a new request and this render must neither finish nor fail it.
const sameRequest = (c: ClaimedPosterRender) => ({ videoId: c.videoId, requestedAt: c.requestedAt })

/** Done: the video's poster becomes `posterPath` (null: nothing to show, the request is dropped), unless a newer request replaced this one. */
export async function finishPosterRender(claim: ClaimedPosterRender, posterPath: string | null): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.posterRender.deleteMany({ where: sameRequest(claim) })
    if (count === 1 && posterPath) await tx.video.update({ where: { id: claim.videoId }, data: { posterPath } })
    return count === 1
  })
}

/** Failed: tried again by the next claim until the attempts run out; the error stays on the row. */
export async function failPosterRender(claim: ClaimedPosterRender, error: string): Promise<void> {
  await db.posterRender.updateMany({ where: sameRequest(claim), data: { leaseOwner: null, leaseExpiresAt: null, error: error.slice(0, 500) } })
}
