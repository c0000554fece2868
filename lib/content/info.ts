import { z } from 'zod'
import { ContentState } from '@/lib/sessions/states'
import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { contentAccess } from '@/lib/videos/access'
import { HASH_RE } from './paths'

export const hashParams = z.object({ hash: z.string().regex(HASH_RE, 'a 64-character lowercase hex SHA-256') })

export const contentInfoSchema = z
  .object({
    hash: z.string(),
    state: z.enum(ContentState),
    sizeBytes: z.number(),
    mime: z.string(),
    durationMs: z.int().nullable(),
    width: z.int().nullable(),
    height: z.int().nullable(),
    probe: z.unknown().meta({ description: 'ffprobe facts recorded at ingest.' }),
    error: z.string().nullable(),
    storedAt: z.iso.datetime().nullable(),
    renditions: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        width: z.int(),
        height: z.int(),
        bitrate: z.int(),
        codecs: z.string(),
        bytes: z.number(),
        segments: z.int(),
      }),
    ),
    totalBytes: z.number(),
  })
  .meta({ id: 'ContentInfo' })

/** Probe facts, renditions and sizes of stored content, for whoever may view a video made of it. */
export async function contentInfo(actor: Actor | null, hash: string) {
  const access = await contentAccess(actor, hash)
  if (!access) throw new AppError('NOT_FOUND', 'No such content.')
  const content = await db.content.findUniqueOrThrow({ where: { hash }, include: { renditions: { orderBy: { height: 'desc' } } } })
  return {
    hash: content.hash,
    state: content.state,
    sizeBytes: Number(content.size),
    mime: content.mime,
    durationMs: content.durationMs,
    width: content.width,
    height: content.height,
    probe: content.probe,
    error: content.error,
    storedAt: content.storedAt?.toISOString() ?? null,
    renditions: content.renditions.map((r) => ({ ...r, bytes: Number(r.bytes), id: undefined, contentHash: undefined })),
    totalBytes: Number(content.size) + content.renditions.reduce((sum, r) => sum + Number(r.bytes), 0),
  }
}
