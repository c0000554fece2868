import { db } from '@/lib/db'
import { localContentStore } from '@/lib/content/store'
import { WAKE_CHANNEL } from '@/lib/queue/channels'
import { publishEvent } from '@/lib/queue/events'
import { enqueueVideoReady } from '@/lib/webhooks/events'
import type { VideoMetadata } from './schemas'

export interface IngestResult {
  videoId: string
  contentHash: string
  sessionId: string | null
  deduplicated: boolean
}

/**
 * Turns a finished upload (a temp file already hashed) into a Video. Bytes that are stored already
 * make a new Video pointing at the existing Content: no second copy, no new transcode session.
 */
export async function ingestUpload(opts: {
  ownerId: string
  tempPath: string
  hash: string
  size: number
  mime?: string
  metadata: VideoMetadata
}): Promise<IngestResult> {
  const store = localContentStore()
  await store.importOriginal(opts.tempPath, opts.hash)
  const result = await db.$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: of two concurrent uploads of the same bytes, one creates the
    // Content and its session, the other sees count 0 and deduplicates.
    const { count } = await tx.content.createMany({
      data: [{ hash: opts.hash, size: BigInt(opts.size), mime: opts.mime ?? 'application/octet-stream' }],
      skipDuplicates: true,
    })
    let sessionId: string | null = null
    if (count === 1) sessionId = (await tx.transcodeSession.create({ data: { contentHash: opts.hash } })).id
    else await tx.content.update({ where: { hash: opts.hash }, data: { orphanedAt: null } })
    const video = await tx.video.create({ data: { ownerId: opts.ownerId, contentHash: opts.hash, ...opts.metadata } })
    return { videoId: video.id, contentHash: opts.hash, sessionId, deduplicated: !sessionId }
  })
  // Same bytes as content that is stored already: this video is ready at once.
  if (!result.sessionId) await enqueueVideoReady(result.videoId)
  if (result.sessionId) {
    await publishEvent(result.sessionId, opts.hash, 'SessionQueued', { videoId: result.videoId })
    await db.$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`)
  }
  return result
}
