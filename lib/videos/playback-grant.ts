import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import type { VerifiedPlayback } from '@/lib/streaming/tokens'

// A playback token names the video it was minted for and that video's token epoch at the time.
// While the epoch is unchanged the token stands on its signature alone; once the owner changed the
// visibility (which bumps the epoch) it opens the bytes only if its subject may still see the
// video (it is not private, or the subject owns it), so a link handed out before the video went
// private stops working.

type Facts = { contentHash: string; epoch: number; visibility: string; ownerId: string }

// A player fetches a segment every few seconds with the same token: the video's facts are read at
// most once per few seconds per video, which bounds how long a revoked token keeps working. The
// cache is per process and not invalidated on change, so every node converges within this time.
export const GRANT_CACHE_MS = 5_000
const cache = new Map<string, { facts: Facts | null; until: number }>()

async function videoFacts(videoId: string): Promise<Facts | null> {
  const hit = cache.get(videoId)
  if (hit && hit.until > Date.now()) return hit.facts
  const row = await db.video.findUnique({ where: { id: videoId }, select: { contentHash: true, tokenEpoch: true, visibility: true, ownerId: true } })
  const facts = row && { contentHash: row.contentHash, epoch: row.tokenEpoch, visibility: row.visibility, ownerId: row.ownerId }
  if (cache.size > 10_000) cache.clear()
  cache.set(videoId, { facts, until: Date.now() + GRANT_CACHE_MS })
  return facts
}

/** Throws UNAUTHENTICATED when a verified token no longer opens its content. */
export async function assertPlaybackGrant(token: VerifiedPlayback): Promise<void> {
  const facts = await videoFacts(token.videoId)
  const stands =
    !!facts &&
    facts.contentHash === token.hash &&
    (facts.epoch === token.epoch || facts.visibility !== 'PRIVATE' || (token.userId !== undefined && token.userId === facts.ownerId))
  if (!stands) throw new AppError('UNAUTHENTICATED', 'The playback token is no longer valid for this video.')
}
