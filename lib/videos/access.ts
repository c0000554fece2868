import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db, type Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'

type VideoLike = { ownerId: string; visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE'; content: { state: string } }

/** Only stored content is published: a processing or failed upload is its owner's business. */
const PUBLISHED: Prisma.VideoWhereInput = { content: { state: 'STORED' } }

export const isOwnerOrAdmin = (actor: Actor | null, v: { ownerId: string }): boolean => !!actor && (actor.userId === v.ownerId || isAdmin(actor))

/**
 * Anyone with the link may view public and unlisted videos once they are processed; private ones,
 * and videos still processing or failed, only their owner and admins.
 */
export const canView = (actor: Actor | null, v: VideoLike): boolean => isOwnerOrAdmin(actor, v) || (v.visibility !== 'PRIVATE' && v.content.state === 'STORED')

/** Videos that appear in listings for this actor (unlisted and unprocessed ones only for their owner). */
export function listableWhere(actor: Actor | null): Prisma.VideoWhereInput {
  if (actor?.role === 'ADMIN' && actor.via === 'session') return {}
  const published: Prisma.VideoWhereInput = { visibility: 'PUBLIC', ...PUBLISHED }
  return actor ? { OR: [published, { ownerId: actor.userId }] } : published
}

/** The video, or 404 when it does not exist or the actor may not know it exists. */
export async function findViewableVideo(actor: Actor | null, id: string) {
  const video = await db.video.findUnique({ where: { id }, include: { content: { select: { state: true } } } })
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
 * How bytes of a content hash may be served: `public` when it is stored and a public video
 * references it (cache forever), `private` when the actor owns or administers a video referencing
 * it; otherwise null.
 */
export async function contentAccess(actor: Actor | null, hash: string): Promise<'public' | 'private' | null> {
  const content = await db.content.findUnique({ where: { hash }, select: { state: true, videos: { select: { ownerId: true, visibility: true } } } })
  const videos = content?.videos ?? []
  if (content?.state === 'STORED' && videos.some((v) => v.visibility === 'PUBLIC')) return 'public'
  if (videos.some((v) => isOwnerOrAdmin(actor, v))) return 'private'
  return null
}
