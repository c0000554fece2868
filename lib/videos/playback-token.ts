import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { mediaUrl } from '@/lib/config/media-origin'
import { db } from '@/lib/db'
import { appPlaybackKey } from '@/lib/streaming/app-key'
import { DEFAULT_PLAYBACK_TTL_SECONDS, signPlaybackToken } from '@/lib/streaming/tokens'
import { findViewableVideo } from './access'
import { statusOf } from './view'

export const playbackTokenInput = z.object({
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(24 * 3600)
    .default(DEFAULT_PLAYBACK_TTL_SECONDS),
})

/** A signed, expiring token for one video's content, with the URLs that carry it. */
export async function mintPlaybackToken(actor: Actor, videoId: string, input: z.infer<typeof playbackTokenInput>) {
  const video = await findViewableVideo(actor, videoId)
  const content = await db.content.findUniqueOrThrow({ where: { hash: video.contentHash }, select: { state: true } })
  const token = await signPlaybackToken(
    { hash: video.contentHash, videoId: video.id, epoch: video.tokenEpoch, userId: actor.userId, ttlSeconds: input.ttlSeconds },
    appPlaybackKey(),
  )
  const base = mediaUrl(`/api/v1/content/${video.contentHash}/t/${token}`)
  const ready = statusOf(content.state) === 'ready'
  return {
    token,
    expiresAt: new Date(Date.now() + input.ttlSeconds * 1000).toISOString(),
    contentHash: video.contentHash,
    urls: {
      direct: `${base}/original`,
      hls: ready ? `${base}/master.m3u8` : null,
      dash: ready ? `${base}/manifest.mpd` : null,
    },
  }
}
