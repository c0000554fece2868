import { z } from 'zod'
import { pageAfter } from '@/lib/api/pagination'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db, type Prisma } from '@/lib/db'
import { PRIORITY_POLICY } from '@/lib/queue/policy'
import { laneOf } from '@/lib/queue/priority'
import { freshSince } from '@/lib/queue/watchers'
import { idString, plainText } from '@/lib/validation/text'
import { relativeToContent } from './queries'
import { isLeased, SessionState } from './states'

// The session list (REST API and the admin dashboard): who may see which sessions, and their summary.

export const sessionStateSchema = z.enum(SessionState).meta({ id: 'SessionState' })

export const listSessionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: idString().optional(),
  /** One state or several, comma-separated (`FAILED,CANCELLED`). */
  state: z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(z.array(sessionStateSchema))
    .optional()
    .meta({ description: 'One state or several, comma-separated.', example: 'FAILED,CANCELLED' }),
  /** Matches a video title, a session id or the start of a content hash. */
  q: plainText({ max: 200 }).optional(),
  /** Sessions held by this worker id. */
  worker: idString(200).optional(),
  contentHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
})
export type ListSessionsQuery = z.infer<typeof listSessionsQuery>

export const sessionRow = z
  .object({
    id: z.string(),
    state: sessionStateSchema,
    contentHash: z.string(),
    video: z.object({ id: z.string(), title: z.string() }).nullable(),
    worker: z.string().nullable(),
    profile: z.string().nullable(),
    attempt: z.int(),
    maxAttempts: z.int(),
    progress: z.number().meta({ description: '0…1' }),
    encodeSpeed: z.number().nullable().meta({ description: 'Encoding speed as a multiple of real time.' }),
    segmentsReady: z.int(),
    segmentsTotal: z.int(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.int().nullable().meta({ description: 'Run time so far (or in total once finished).' }),
    priority: z.enum(['startup', 'normal']).meta({
      description: "`startup`: the priority lane (an upload's first encode someone waits for or that was just uploaded) may pause a running encode for it.",
    }),
    viewers: z.int().meta({ description: 'Viewers waiting for it now (players reading the unfinished video).' }),
    pausedAt: z.iso.datetime().nullable().meta({ description: 'Since when its encode is paused for a start-up-lane session.' }),
  })
  .meta({ id: 'SessionSummary' })
export type SessionRow = z.infer<typeof sessionRow>

export const sessionPage = z.object({ items: z.array(sessionRow), nextCursor: z.string().nullable(), total: z.int() }).meta({ id: 'SessionPage' })

/**
 * A session belongs to a content, and several users' videos may share one content (dedup): each
 * caller sees only their own videos in it (admins: all), never another user's title.
 */
export const sessionInclude = (actor: Actor, now = Date.now()) =>
  ({
    _count: { select: { watchers: { where: { seenAt: { gt: freshSince(now) } } } } },
    content: {
      select: {
        storedAt: true,
        videos: {
          where: isAdmin(actor) ? {} : { ownerId: actor.userId },
          select: { id: true, title: true },
          orderBy: { createdAt: 'asc' as const },
          take: 1,
        },
      },
    },
  }) satisfies Prisma.TranscodeSessionInclude
export type SessionListRow = Prisma.TranscodeSessionGetPayload<{ include: ReturnType<typeof sessionInclude> }>

export function sessionSummary(s: SessionListRow, now = Date.now()): SessionRow {
  const end = s.finishedAt?.getTime() ?? (isLeased(s.state) ? now : null)
  return {
    id: s.id,
    state: s.state,
    contentHash: s.contentHash,
    video: s.content.videos[0] ?? null,
    worker: s.leaseOwner,
    profile: s.profile,
    attempt: s.attempt,
    maxAttempts: s.maxAttempts,
    progress: s.progress,
    encodeSpeed: s.encodeSpeed,
    segmentsReady: s.segmentsReady,
    segmentsTotal: s.segmentsTotal,
    error: s.error && relativeToContent(s.error, s.contentHash),
    createdAt: s.createdAt.toISOString(),
    startedAt: s.startedAt?.toISOString() ?? null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
    durationMs: s.startedAt && end !== null ? Math.max(0, end - s.startedAt.getTime()) : null,
    priority:
      s.state === 'QUEUED' || isLeased(s.state)
        ? laneOf({ createdAt: s.createdAt, firstEncode: !s.content.storedAt, viewers: s._count.watchers }, new Date(now), PRIORITY_POLICY)
        : 'normal',
    viewers: s._count.watchers,
    pausedAt: s.pausedAt?.toISOString() ?? null,
  }
}

/** Sessions the actor may see (admins: all; others: those of their videos' content), newest first. */
export async function listSessions(actor: Actor, query: ListSessionsQuery) {
  const and: Prisma.TranscodeSessionWhereInput[] = []
  if (!isAdmin(actor)) and.push({ content: { videos: { some: { ownerId: actor.userId } } } })
  if (query.state?.length) and.push({ state: { in: query.state } })
  if (query.worker) and.push({ leaseOwner: query.worker })
  if (query.contentHash) and.push({ contentHash: query.contentHash })
  if (query.q) {
    and.push({
      OR: [
        { id: query.q },
        ...(/^[0-9a-f]{4,64}$/.test(query.q) ? [{ contentHash: { startsWith: query.q } }] : []),
        { content: { videos: { some: { title: { contains: query.q, mode: 'insensitive' }, ...(isAdmin(actor) ? {} : { ownerId: actor.userId }) } } } },
      ],
    })
  }
  const where: Prisma.TranscodeSessionWhereInput = { AND: and }
  const [rows, total] = await Promise.all([
    db.transcodeSession.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      ...(await pageAfter(query.cursor, (id) => db.transcodeSession.count({ where: { AND: [where, { id }] } }))),
      include: sessionInclude(actor),
    }),
    db.transcodeSession.count({ where }),
  ])
  const page = rows.slice(0, query.limit)
  const now = Date.now()
  return { items: page.map((s) => sessionSummary(s, now)), nextCursor: rows.length > query.limit ? page[page.length - 1].id : null, total }
}
