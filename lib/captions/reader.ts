import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { appPlaybackKey } from '@/lib/streaming/app-key'
import { verifyPlaybackToken } from '@/lib/streaming/tokens'
import { canView } from '@/lib/videos/access'
import { assertPlaybackGrant } from '@/lib/videos/playback-grant'

const select = {
  id: true,
  ownerId: true,
  visibility: true,
  tokenEpoch: true,
  contentHash: true,
  chapters: true,
  description: true,
  content: { select: { state: true, durationMs: true } },
} as const

export type ReadableVideo = NonNullable<Awaited<ReturnType<typeof loadVideo>>>

const loadVideo = (id: string) => db.video.findUnique({ where: { id }, select })

/**
 * Who reads a video's own media (manifests, text tracks, chapters): the holder of a playback token
 * minted for this video and still granted, or a caller who may watch it. The token is handed on
 * so the URLs written into a manifest carry it too.
 */
export async function videoMediaReader(
  actor: Actor | null,
  videoId: string,
  token: string | undefined,
): Promise<{ video: ReadableVideo; token: string | null }> {
  const video = await loadVideo(videoId)
  if (token !== undefined) {
    if (!video) throw new AppError('NOT_FOUND', 'No such video.')
    const verified = await verifyPlaybackToken(token, video.contentHash, appPlaybackKey())
    if (verified.videoId !== video.id) throw new AppError('FORBIDDEN', 'The playback token is for another video.')
    await assertPlaybackGrant(verified)
    return { video, token }
  }
  if (!video || !canView(actor, video)) throw new AppError('NOT_FOUND', 'No such video.')
  return { video, token: null }
}
