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
  /** Its encode waits (SIGSTOP) while a start-up-lane session runs; `data.for` names that one. */
  | 'SessionPaused'
  | 'SessionResumed'

/** What travels over NOTIFY (kept far below Postgres' 8000-byte payload limit). */
export interface NotifiedEvent {
  id: string
  sessionId: string
  contentHash: string
  type: SessionEventType
  data: Record<string, unknown>
  at: string
}

type Tx = Prisma.TransactionClient

/**
 * Writes a SessionEvent (unless `persist` is false) and its NOTIFY inside `tx`. Postgres delivers a
 * NOTIFY only when its transaction commits, so listeners never see an event that was rolled back,
 * and every persisted event can be re-read from the table.
 */
export async function recordEvent(
  tx: Tx,
  sessionId: string,
  contentHash: string,
  type: SessionEventType,
  data: Record<string, unknown> = {},
  persist = true,
): Promise<void> {
  const row = persist ? await tx.sessionEvent.create({ data: { sessionId, type, data: data as Prisma.InputJsonValue } }) : null
  const payload: NotifiedEvent = {
    id: row ? row.id.toString() : '',
    sessionId,
    contentHash,
    type,
    data,
    at: (row?.createdAt ?? new Date()).toISOString(),
  }
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(payload)})`
}

/** An event that moves nothing (progress, a segment, the first playable manifest), in its own transaction. */
export async function publishEvent(
  sessionId: string,
  contentHash: string,
  type: SessionEventType,
  data: Record<string, unknown> = {},
  persist = true,
): Promise<void> {
  await db.$transaction((tx) => recordEvent(tx, sessionId, contentHash, type, data, persist))
}
