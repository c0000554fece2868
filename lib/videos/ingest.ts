import { rm } from 'node:fs/promises'
import { removeUnreferencedContent } from '@/lib/content/leftovers'
import { lockContentHash } from '@/lib/content/lock'
import { sniffOriginalType } from '@/lib/content/original-type'
import { localContentStore } from '@/lib/content/store'
import { db } from '@/lib/db'
import { createSession } from '@/lib/sessions/lifecycle'
import { enqueueVideoReady } from '@/lib/webhooks/events'
import { videoMetadataInput } from './schemas'

export interface IngestResult {
  videoId: string
  contentHash: string
  sessionId: string | null
  deduplicated: boolean
}

/**
 * Turns a finished upload (a temp file already hashed) into a Video. Bytes that are stored already
 * make a new Video pointing at the existing Content: no second copy, no new transcode session.
 * All or nothing: the bytes move into the content store in the transaction that writes their rows,
 * and on any failure (bad metadata included) neither the temp file nor a stored original is left.
 */
export async function ingestUpload(opts: {
  ownerId: string
  tempPath: string
  hash: string
  size: number
  /** Title, description, visibility: checked here with `videoMetadataInput` before any byte is stored. */
  metadata: Record<string, unknown>
}): Promise<IngestResult> {
  const store = localContentStore()
  let moved = false
  try {
    const metadata = videoMetadataInput.parse(opts.metadata)
    // Our own reading of the bytes, never the uploader's claim (see original-type.ts).
    const mime = await sniffOriginalType(opts.tempPath)
    const result = await db.$transaction(async (tx) => {
      await lockContentHash(tx, opts.hash)
      // ON CONFLICT DO NOTHING: of two uploads of the same bytes, one creates the Content and its
      // session, the other sees count 0 and deduplicates.
      const { count } = await tx.content.createMany({ data: [{ hash: opts.hash, size: BigInt(opts.size), mime }], skipDuplicates: true })
      if (count === 0) await tx.content.update({ where: { hash: opts.hash }, data: { orphanedAt: null } })
      const video = await tx.video.create({ data: { ownerId: opts.ownerId, contentHash: opts.hash, ...metadata } })
      const sessionId = count === 1 ? (await createSession(tx, opts.hash, { videoId: video.id })).id : null
      // Bytes last: every row is written, only the commit is left to fail.
      moved = await store.importOriginal(opts.tempPath, opts.hash)
      return { videoId: video.id, contentHash: opts.hash, sessionId, deduplicated: !sessionId }
    })
    // Same bytes as content that is stored already: this video is ready at once.
    if (!result.sessionId) await enqueueVideoReady(result.videoId)
    return result
  } catch (err) {
    await rm(opts.tempPath, { force: true })
    if (moved) await removeUnreferencedContent(opts.hash).catch(() => {})
    throw err
  }
}
