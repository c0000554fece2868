import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db, type Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'

type VideoLike = { ownerId: string; visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE' }

export const isOwnerOrAdmin = (actor: Actor | null, v: { ownerId: string }): boolean =>
  !!actor && (actor.userId === v.ownerId || isAdmin(actor))

/** Anyone with the link may view public and unlisted videos; private ones only their owner and admins. */
export const canView = (actor: Actor | null, v: VideoLike): boolean => v.visibility !== 'PRIVATE' || isOwnerOrAdmin(actor, v)

/** Videos that appear in listings for this actor (unlisted ones only for their owner). */
export function listableWhere(actor: Actor | null): Prisma.VideoWhereInput {
  if (actor?.role === 'ADMIN' && actor.via === 'session') return {}
  return actor ? { OR: [{ visibility: 'PUBLIC' }, { ownerId: actor.userId }] } : { visibility: 'PUBLIC' }
}

/** The video, or 404 when it does not exist or the actor may not know it exists. */
export async function findViewableVideo(actor: Actor | null, id: string) {
  const video = await db.video.findUnique({ where: { id } })
  if (!video || !canView(actor, video)) throw new AppError('NOT_FOUND', 'No such video.')
  return video
}

/** The video for a change, or 404/403: only its owner or an admin may change it. */
export async function findEditableVideo(actor: Actor, id: string) {
  const video = await findViewableVideo(actor, id)
  if (!isOwnerOrAdmin(actor, video)) throw new AppError('FORBIDDEN', 'Only the owner or an admin may change this video.')
  return video
}

/**
 * How bytes of a content hash may be served: `public` when a public video references it (cache
 * forever), `private` when the actor owns or administers a video referencing it; otherwise null.
 */
export async function contentAccess(actor: Actor | null, hash: string): Promise<'public' | 'private' | null> {
  const videos = await db.video.findMany({ where: { contentHash: hash }, select: { ownerId: true, visibility: true } })
  if (videos.some((v) => v.visibility === 'PUBLIC')) return 'public'
  if (videos.some((v) => isOwnerOrAdmin(actor, v))) return 'private'
  return null
}
