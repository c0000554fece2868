import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { contentAccess } from '@/lib/videos/access'
import { HASH_RE } from './paths'

export const hashParams = z.object({ hash: z.string().regex(HASH_RE, 'a 64-character lowercase hex SHA-256') })

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
