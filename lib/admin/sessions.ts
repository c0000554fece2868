import { z } from 'zod'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db, type Prisma, type SessionState } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { streamingConfig } from '@/lib/config/streaming'
import { ACTIVE_STATES } from '@/lib/queue/state'
import { retrySession } from '@/lib/sessions/actions'
import { findVisibleSession, relativeToContent, sessionHealth } from '@/lib/sessions/queries'
import { pageAfter } from '@/lib/api/pagination'
import { idString, plainText } from '@/lib/validation/text'

// Listing and admin operations on transcode sessions for the dashboard and the REST API. State
// moves stay in lib/sessions and lib/queue/state; this module reads, and deletes finished rows.

export const SESSION_STATES = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'STORED', 'FAILED', 'CANCELLED'] as const
export const sessionStateSchema = z.enum(SESSION_STATES).meta({ id: 'SessionState' })

export const listSessionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: idString().optional(),
  /** One state or several, comma-separated (`FAILED,CANCELLED`). */
  state: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(sessionStateSchema))
    .optional()
    .meta({ description: 'One state or several, comma-separated.', example: 'FAILED,CANCELLED' }),
  /** Matches a video title, a session id or the start of a content hash. */
  q: plainText({ max: 200 }).optional(),
  /** Sessions held by this worker id. */
  worker: idString(200).optional(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
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
  })
  .meta({ id: 'SessionSummary' })
export type SessionRow = z.infer<typeof sessionRow>

export const sessionPage = z
  .object({ items: z.array(sessionRow), nextCursor: z.string().nullable(), total: z.int() })
  .meta({ id: 'SessionPage' })

export const reencodeInput = z
  .object({ profile: z.string().min(1).max(32).meta({ description: 'Name of the top rung to encode up to (see `profiles` in the streaming config).' }) })
  .strict()
  .meta({ id: 'ReencodeInput' })

/**
 * A session belongs to a content, and several users' videos may share one content (dedup): each
 * caller sees only their own videos in it (admins: all), never another user's title.
 */
const includeFor = (actor: Actor) =>
  ({
    content: {
      select: {
        videos: {
          where: isAdmin(actor) ? {} : { ownerId: actor.userId },
          select: { id: true, title: true },
          orderBy: { createdAt: 'asc' as const },
          take: 1,
        },
      },
    },
  }) satisfies Prisma.TranscodeSessionInclude
type Row = Prisma.TranscodeSessionGetPayload<{ include: ReturnType<typeof includeFor> }>

export function sessionSummary(s: Row, now = Date.now()): SessionRow {
  const end = s.finishedAt?.getTime() ?? (ACTIVE_STATES.includes(s.state) ? now : null)
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
  }
}

/** Sessions the actor may see (admins: all; others: those of their videos' content), newest first. */
export async function listSessions(actor: Actor, query: ListSessionsQuery) {
  const and: Prisma.TranscodeSessionWhereInput[] = []
  if (!isAdmin(actor)) and.push({ content: { videos: { some: { ownerId: actor.userId } } } })
  if (query.state?.length) and.push({ state: { in: query.state as SessionState[] } })
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
      include: includeFor(actor),
    }),
    db.transcodeSession.count({ where }),
  ])
  const page = rows.slice(0, query.limit)
  const now = Date.now()
  return { items: page.map((s) => sessionSummary(s, now)), nextCursor: rows.length > query.limit ? page[page.length - 1].id : null, total }
}

export const sessionEventView = z
  .object({ id: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), createdAt: z.iso.datetime() })
  .meta({ id: 'SessionEvent' })

/** Everything the session detail page shows except the log: summary, health, videos and the event timeline. */
export async function getSessionDetail(actor: Actor, id: string) {
  const session = await findVisibleSession(actor, id)
  const [row, health, events, videos] = await Promise.all([
    db.transcodeSession.findUniqueOrThrow({ where: { id }, include: includeFor(actor) }),
    sessionHealth(session),
    db.sessionEvent.findMany({ where: { sessionId: id }, orderBy: { id: 'desc' }, take: 300 }),
    db.video.findMany({
      where: { contentHash: session.contentHash, ...(isAdmin(actor) ? {} : { ownerId: actor.userId }) },
      select: { id: true, title: true, visibility: true, ownerId: true },
    }),
  ])
  return {
    session: sessionSummary(row),
    health,
    videos,
    events: events.reverse().map((e) => ({
      id: e.id.toString(),
      type: e.type,
      data: JSON.parse(relativeToContent(JSON.stringify(e.data ?? {}), session.contentHash)) as Record<string, unknown>,
      createdAt: e.createdAt.toISOString(),
    })),
  }
}

const requireAdmin = (actor: Actor) => {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'Admins only.')
}

/** Names of the encoding profiles a re-encode may choose (highest first). */
export function encodingProfiles(): { name: string; width: number; height: number; bitrate: number }[] {
  return streamingConfig().profiles.map(({ name, width, height, bitrate }) => ({ name, width, height, bitrate }))
}

/** Encodes the content again (a stored, failed or cancelled session), up to the chosen profile. */
export async function reencodeSession(actor: Actor, id: string, input: z.infer<typeof reencodeInput>) {
  requireAdmin(actor)
  const names = encodingProfiles().map((p) => p.name)
  if (!names.includes(input.profile)) {
    throw new AppError('INVALID_INPUT', `Unknown profile "${input.profile}".`, { errors: [{ path: 'profile', message: `one of ${names.join(', ')}` }] })
  }
  return retrySession(actor, id, { profile: input.profile })
}

/** Removes a finished session and its events. Active ones must be cancelled first. */
export async function deleteSession(actor: Actor, id: string): Promise<void> {
  requireAdmin(actor)
  const session = await findVisibleSession(actor, id)
  if (session.state === 'QUEUED' || ACTIVE_STATES.includes(session.state)) {
    throw new AppError('CONFLICT', `The session is ${session.state}: cancel it first.`)
  }
  // The state condition is in the DELETE itself, so a retry landing in between is not deleted.
  const { count } = await db.transcodeSession.deleteMany({ where: { id, state: { in: ['STORED', 'FAILED', 'CANCELLED'] } } })
  if (count === 0) throw new AppError('CONFLICT', 'The session changed state: reload and try again.')
}
