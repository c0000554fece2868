import { z } from 'zod'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { sessionInclude, sessionSummary } from '@/lib/sessions/list'
import { findVisibleSession, relativeToContent, sessionHealth } from '@/lib/sessions/queries'

// The admin dashboard's read model of one session. Moves are lib/sessions' own.

export const sessionEventView = z
  .object({ id: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), createdAt: z.iso.datetime() })
  .meta({ id: 'SessionEvent' })

/** Everything the session detail page shows except the log: summary, health, videos and the event timeline. */
export async function getSessionDetail(actor: Actor, id: string) {
  const session = await findVisibleSession(actor, id)
  const [row, health, events, videos] = await Promise.all([
    db.transcodeSession.findUniqueOrThrow({ where: { id }, include: sessionInclude(actor) }),
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
