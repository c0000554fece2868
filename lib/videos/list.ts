import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db, type Prisma } from '@/lib/db'
import { idString, plainText } from '@/lib/validation/text'
import { listableWhere } from './access'
import { contentBase, posterFileOf, statusOf } from './view'
import { pageAfter } from '@/lib/api/pagination'

export const listVideosQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: idString().optional(),
  q: plainText({ max: 200 }).optional(),
  sort: z.enum(['newest', 'views']).default('newest'),
  mine: z.enum(['1', 'true']).optional(),
})
export type ListVideosQuery = z.infer<typeof listVideosQuery>

/** One page of the videos the actor may list, newest (or most viewed) first, with an opaque cursor. */
export async function listVideos(actor: Actor | null, query: ListVideosQuery) {
  const where: Prisma.VideoWhereInput = { AND: [listableWhere(actor)] }
  const and = where.AND as Prisma.VideoWhereInput[]
  if (query.mine && actor) and.push({ ownerId: actor.userId })
  if (query.q) {
    and.push({ OR: [{ title: { contains: query.q, mode: 'insensitive' } }, { description: { contains: query.q, mode: 'insensitive' } }] })
  }
  const orderBy: Prisma.VideoOrderByWithRelationInput[] = query.sort === 'views' ? [{ views: 'desc' }, { id: 'desc' }] : [{ createdAt: 'desc' }, { id: 'desc' }]
  const rows = await db.video.findMany({
    where,
    orderBy,
    take: query.limit + 1,
    ...(await pageAfter(query.cursor, (id) => db.video.count({ where: { AND: [where, { id }] } }))),
    include: {
      owner: { select: { id: true, name: true, email: true } },
      content: { select: { state: true, durationMs: true, width: true, height: true } },
    },
  })
  const page = rows.slice(0, query.limit)
  return {
    items: await Promise.all(
      page.map(async (v) => ({
        id: v.id,
        title: v.title,
        description: v.description,
        visibility: v.visibility,
        owner: { id: v.owner.id, name: v.owner.name ?? v.owner.email.split('@')[0] },
        views: v.views,
        createdAt: v.createdAt.toISOString(),
        status: statusOf(v.content.state),
        contentHash: v.contentHash,
        durationMs: v.content.durationMs,
        width: v.content.width,
        height: v.content.height,
        downloadable: v.downloadable,
        poster: v.content.state === 'STORED' ? `${await contentBase(v, actor?.userId)}/${posterFileOf(v)}` : null,
      })),
    ),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  }
}
