import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { POSTER } from '@/lib/content/layout'
import { db } from '@/lib/db'
import { canView } from '@/lib/videos/access'
import { contentBase } from '@/lib/videos/view'

export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export const historyItemSchema = z
  .object({
    video: z.object({
      id: z.string(),
      title: z.string(),
      owner: z.object({ id: z.string(), name: z.string() }),
      durationMs: z.int().nullable(),
      poster: z.string().nullable(),
    }),
    positionMs: z.int(),
    durationMs: z.int().nullable().meta({ description: "The player's duration when it reported, else the probed one." }),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'HistoryItem' })
export type HistoryItem = z.infer<typeof historyItemSchema>

/**
 * The actor's watch history, most recent first: only videos they may still watch (one made
 * private since, or still unprocessed, drops out without being forgotten).
 */
export async function listHistory(actor: Actor, query: z.infer<typeof historyQuery>): Promise<HistoryItem[]> {
  const rows = await db.watchProgress.findMany({
    where: { userId: actor.userId },
    orderBy: [{ updatedAt: 'desc' }, { videoId: 'asc' }],
    take: query.limit,
    include: {
      video: {
        include: { owner: { select: { id: true, name: true, email: true } }, content: { select: { state: true, durationMs: true } } },
      },
    },
  })
  const visible = rows.filter((r) => canView(actor, r.video))
  return Promise.all(
    visible.map(async ({ video: v, positionMs, durationMs, updatedAt }) => ({
      video: {
        id: v.id,
        title: v.title,
        owner: { id: v.owner.id, name: v.owner.name ?? v.owner.email.split('@')[0] },
        durationMs: v.content.durationMs,
        poster: v.content.state === 'STORED' ? `${await contentBase(v, actor.userId)}/${POSTER}` : null,
      },
      positionMs,
      durationMs: durationMs ?? v.content.durationMs,
      updatedAt: updatedAt.toISOString(),
    })),
  )
}
