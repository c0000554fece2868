import { db } from '@/lib/db'
import { PRIORITY_POLICY } from './policy'

// Viewers waiting for an unfinished session: each signed-in player that reads the video while it
// processes (it polls every few seconds) refreshes its row. The priority lane and the admin view
// count the fresh ones.

export async function recordWatch(sessionId: string, viewerId: string): Promise<void> {
  const seenAt = new Date()
  await db.sessionWatch.upsert({ where: { sessionId_viewerId: { sessionId, viewerId } }, create: { sessionId, viewerId, seenAt }, update: { seenAt } })
}

export const freshSince = (now = Date.now()): Date => new Date(now - PRIORITY_POLICY.viewerFreshMs)

export function waitingViewers(sessionId: string): Promise<number> {
  return db.sessionWatch.count({ where: { sessionId, seenAt: { gt: freshSince() } } })
}
