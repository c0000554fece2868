import { z } from 'zod'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db, type Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { idString, plainText } from '@/lib/validation/text'
import { visibilitySchema } from '@/lib/videos/schemas'
import { statusOf } from '@/lib/videos/view'
import { pageAfter } from '@/lib/api/pagination'

// Every video, private ones included, for the admin table (the public listing hides others'
// private and unlisted videos even from admins' API keys without the admin scope).

export const listAllVideosQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: idString().optional(),
  q: plainText({ max: 200 }).optional(),
  visibility: visibilitySchema.optional(),
  status: z.enum(['processing', 'ready', 'failed']).optional(),
  ownerId: idString().optional(),
})
export type ListAllVideosQuery = z.infer<typeof listAllVideosQuery>

export const adminVideoRow = z
  .object({
    id: z.string(),
    title: z.string(),
    visibility: visibilitySchema,
    status: z.enum(['processing', 'ready', 'failed']),
    owner: z.object({ id: z.string(), email: z.string() }),
    contentHash: z.string(),
    sizeBytes: z.number(),
    durationMs: z.int().nullable(),
    views: z.int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminVideo' })

export const adminVideoPage = z.object({ items: z.array(adminVideoRow), nextCursor: z.string().nullable(), total: z.int() }).meta({ id: 'AdminVideoPage' })

const STATE_OF = { processing: ['UPLOADED', 'PROCESSING'], ready: ['STORED'], failed: ['FAILED'] } as const

export async function listAllVideos(actor: Actor, query: ListAllVideosQuery) {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'Admins only.')
  const and: Prisma.VideoWhereInput[] = []
  if (query.visibility) and.push({ visibility: query.visibility })
  if (query.ownerId) and.push({ ownerId: query.ownerId })
  if (query.status) and.push({ content: { state: { in: [...STATE_OF[query.status]] } } })
  if (query.q) {
    and.push({
      OR: [
        { id: query.q },
        { title: { contains: query.q, mode: 'insensitive' } },
        { owner: { email: { contains: query.q, mode: 'insensitive' } } },
        ...(/^[0-9a-f]{4,64}$/.test(query.q) ? [{ contentHash: { startsWith: query.q } }] : []),
      ],
    })
  }
  const where: Prisma.VideoWhereInput = { AND: and }
  const [rows, total] = await Promise.all([
    db.video.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      ...(await pageAfter(query.cursor, (id) => db.video.count({ where: { AND: [where, { id }] } }))),
      include: { owner: { select: { id: true, email: true } }, content: { select: { state: true, size: true, durationMs: true } } },
    }),
    db.video.count({ where }),
  ])
  const page = rows.slice(0, query.limit)
  return {
    items: page.map((v) => ({
      id: v.id,
      title: v.title,
      visibility: v.visibility,
      status: statusOf(v.content.state),
      owner: v.owner,
      contentHash: v.contentHash,
      sizeBytes: Number(v.content.size),
      durationMs: v.content.durationMs,
      views: v.views,
      createdAt: v.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    total,
  }
}
