import { rm } from 'node:fs/promises'
import { captionRowsFor, embeddedTracksOf } from '@/lib/captions/embedded'
import { removeUnreferencedContent } from '@/lib/content/leftovers'
import { lockContentHash } from '@/lib/content/lock'
import { sniffOriginalType } from '@/lib/content/original-type'
import { contentStore } from '@/lib/content/store'
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

/** A remote store's original vanished (retention) between our look and the transaction: upload again. */
class OriginalGone extends Error {}

/**
 * Turns a finished upload (a temp file already hashed) into a Video. Bytes that are stored already
 * make a new Video pointing at the existing Content: no second copy, no new transcode session.
 * All or nothing: on any failure (bad metadata included) neither the temp file nor a stored
 * original nobody references is left. On local disk the bytes move in (a rename) inside the
 * transaction that writes their rows; a remote store's upload takes as long as the bytes need, so
 * it happens before, without holding the hash's lock, and only when the database has no such content.
 */
export async function ingestUpload(opts: {
  ownerId: string
  tempPath: string
  hash: string
  size: number
  /** Title, description, visibility: checked here with `videoMetadataInput` before any byte is stored. */
  metadata: Record<string, unknown>
}): Promise<IngestResult> {
  const store = contentStore()
  const remote = store.kind !== 'local'
  let moved = false
  try {
    const metadata = videoMetadataInput.parse(opts.metadata)
    // Our own reading of the bytes, never the uploader's claim (see original-type.ts).
    const mime = await sniffOriginalType(opts.tempPath)
    const write = () =>
      db.$transaction(async (tx) => {
        await lockContentHash(tx, opts.hash)
        // ON CONFLICT DO NOTHING: of two uploads of the same bytes, one creates the Content and its
        // session, the other sees count 0 and deduplicates.
        const { count } = await tx.content.createMany({ data: [{ hash: opts.hash, size: BigInt(opts.size), mime }], skipDuplicates: true })
        if (remote && count === 1 && !moved) throw new OriginalGone()
        const known = count === 0 ? await tx.content.update({ where: { hash: opts.hash }, data: { orphanedAt: null }, select: { textTracks: true } }) : null
        const video = await tx.video.create({ data: { ownerId: opts.ownerId, contentHash: opts.hash, ...metadata } })
        // The bytes' own subtitle streams, found when they were first processed, are this video's captions too.
        const embedded = embeddedTracksOf(known?.textTracks)
        if (embedded.length) await tx.caption.createMany({ data: captionRowsFor(video.id, embedded) })
        const sessionId = count === 1 ? (await createSession(tx, opts.hash, { videoId: video.id })).id : null
        // Bytes last: every row is written, only the commit is left to fail.
        if (!remote) moved = await store.importOriginal(opts.tempPath, opts.hash)
        return { videoId: video.id, contentHash: opts.hash, sessionId, deduplicated: !sessionId }
      })
    const upload = async () => {
      await store.put(opts.hash, 'original', opts.tempPath)
      moved = true
    }
    if (remote && !(await db.content.findUnique({ where: { hash: opts.hash }, select: { hash: true } }))) await upload()
    const result = await write().catch(async (err) => {
      if (!(err instanceof OriginalGone)) throw err
      await upload()
      return write()
    })
    if (remote) await rm(opts.tempPath, { force: true })
    // Same bytes as content that is stored already: this video is ready at once.
    if (!result.sessionId) await enqueueVideoReady(result.videoId)
    return result
  } catch (err) {
    await rm(opts.tempPath, { force: true })
    if (moved) await removeUnreferencedContent(opts.hash).catch(() => {})
    throw err
  }
}
