import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { findViewableVideo } from '@/lib/videos/access'
import type { SaveProgressInput, WatchProgressView } from './schemas'

/** Records where the actor is in a video they may watch (404 otherwise); the latest report wins. */
export async function saveProgress(actor: Actor, videoId: string, input: SaveProgressInput): Promise<void> {
  await findViewableVideo(actor, videoId)
  const durationMs = input.durationMs ?? null
  const positionMs = durationMs ? Math.min(input.positionMs, durationMs) : input.positionMs
  await db.watchProgress.upsert({
    where: { userId_videoId: { userId: actor.userId, videoId } },
    create: { userId: actor.userId, videoId, positionMs, durationMs },
    update: { positionMs, durationMs },
  })
}

/** The actor's saved position in a video, for the video's JSON. */
export async function progressOf(actor: Actor | null, videoId: string): Promise<WatchProgressView> {
  if (!actor) return null
  const row = await db.watchProgress.findUnique({ where: { userId_videoId: { userId: actor.userId, videoId } }, select: { positionMs: true, updatedAt: true } })
  return row ? { positionMs: row.positionMs, updatedAt: row.updatedAt.toISOString() } : null
}

/** Forgets one video (idempotent: nothing saved is nothing to remove). */
export async function removeFromHistory(actor: Actor, videoId: string): Promise<void> {
  await db.watchProgress.deleteMany({ where: { userId: actor.userId, videoId } })
}

/** Forgets every position the actor saved. */
export async function clearHistory(actor: Actor): Promise<void> {
  await db.watchProgress.deleteMany({ where: { userId: actor.userId } })
}
