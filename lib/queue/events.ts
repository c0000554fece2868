import { db, type Prisma } from '@/lib/db'

import { EVENTS_CHANNEL } from './channels'

export type SessionEventType =
  | 'SessionQueued'
  | 'SessionStarted'
  | 'ProgressUpdate'
  | 'SegmentReady'
  | 'ManifestUpdated'
  | 'TranscodeCompleted'
  | 'TranscodeFailed'
  | 'SessionRetrying'
  | 'SessionCancelled'
  | 'SessionStored'

/** What travels over NOTIFY (kept far below Postgres' 8000-byte payload limit). */
export interface NotifiedEvent {
  id: string
  sessionId: string
  contentHash: string
  type: SessionEventType
  data: Record<string, unknown>
  at: string
}

/**
 * Persists a SessionEvent and notifies listeners in the same transaction: listeners never see an
 * event that was rolled back, and every notified event can be re-read from the table.
 */
export async function publishEvent(
  sessionId: string,
  contentHash: string,
  type: SessionEventType,
  data: Record<string, unknown> = {},
  persist = true,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = persist
      ? await tx.sessionEvent.create({ data: { sessionId, type, data: data as Prisma.InputJsonValue } })
      : null
    const payload: NotifiedEvent = {
      id: row ? row.id.toString() : '',
      sessionId,
      contentHash,
      type,
      data,
      at: (row?.createdAt ?? new Date()).toISOString(),
    }
    await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(payload)})`
  })
}
