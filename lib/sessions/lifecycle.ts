import { captionRowsFor, type EmbeddedTextTrack } from '@/lib/captions/embedded'
import { db, type Prisma, type TranscodeSession } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { CANCEL_CHANNEL, WAKE_CHANNEL } from '@/lib/queue/channels'
import { recordEvent, type SessionEventType } from '@/lib/queue/events'
import { enqueueSessionOutcome } from '@/lib/webhooks/events'
import { type ContentState, canMoveContent, canMoveSession, isFinished, type SessionState } from './states'

// Every move of a transcode session and of its content, each one transaction: lock the session row
// (and the content row), check both transition tables, write the rows, the SessionEvent, the webhook
// deliveries of a final state (the outbox), and the NOTIFYs. Postgres sends a NOTIFY only when its
// transaction commits, so listeners hear of a move exactly when it happened; a failure at any step
// rolls the whole move back.

type Tx = Prisma.TransactionClient

/** The session row as a move sees it: locked FOR UPDATE, with the database clock. */
export interface LockedSession {
  id: string
  state: SessionState
  leaseOwner: string | null
  contentHash: string
  attempt: number
  /** The database's now() (leases are compared against it, never a worker's clock). */
  dbNow: Date
}

export interface SessionMove {
  to: SessionState
  /** Stricter than the table: the states this caller may move from (CONFLICT otherwise). */
  from?: readonly SessionState[]
  /** The worker that must still hold the lease (CONFLICT otherwise). */
  leaseOwner?: string
  /** Column changes of the session (computed from the locked row when a function). */
  session?: Prisma.TranscodeSessionUpdateInput | ((row: LockedSession) => Prisma.TranscodeSessionUpdateInput)
  /** The content's new state and columns. */
  content?: { state: ContentState; data?: Omit<Prisma.ContentUpdateInput, 'state'> }
  /** The timeline entry of the move. */
  event?: { type: SessionEventType; data?: Record<string, unknown> | ((row: LockedSession) => Record<string, unknown>) }
  /** Extra rows the move writes in its transaction (the renditions of a STORED move). */
  write?: (tx: Tx, row: LockedSession) => Promise<void>
  /** Wake idle workers (a session became claimable). */
  wake?: boolean
  /** Tell the worker holding the session to stop at once. */
  cancel?: boolean
}

const conflict = (message: string) => new AppError('CONFLICT', message)

/** Locks one session row; null when there is none. */
export async function lockSession(tx: Tx, id: string): Promise<LockedSession | null> {
  const rows = await tx.$queryRaw<LockedSession[]>`
    SELECT id, state, "leaseOwner", "contentHash", attempt, now() AS "dbNow"
    FROM "TranscodeSession" WHERE id = ${id} FOR UPDATE`
  return rows[0] ?? null
}

/** Applies `move` to a session locked in `tx`. The building block of every move, claims included. */
export async function applyMove(tx: Tx, row: LockedSession, move: SessionMove): Promise<TranscodeSession> {
  if (move.from && !move.from.includes(row.state)) throw conflict(`Session is ${row.state}, expected ${move.from.join(' or ')}.`)
  if (move.leaseOwner && row.leaseOwner !== move.leaseOwner) throw conflict('This worker no longer holds the session lease.')
  if (!canMoveSession(row.state, move.to)) throw conflict(`A ${row.state} session cannot become ${move.to}.`)
  if (move.content) {
    const [content] = await tx.$queryRaw<{ state: ContentState }[]>`
      SELECT state FROM "Content" WHERE hash = ${row.contentHash} FOR UPDATE`
    if (!content) throw new AppError('NOT_FOUND', 'The session has no content.')
    if (!canMoveContent(content.state, move.content.state)) throw conflict(`${content.state} content cannot become ${move.content.state}.`)
  }
  await move.write?.(tx, row)
  const data = typeof move.session === 'function' ? move.session(row) : (move.session ?? {})
  const updated = await tx.transcodeSession.update({ where: { id: row.id }, data: { ...data, state: move.to } })
  if (move.content) {
    await tx.content.update({ where: { hash: row.contentHash }, data: { ...move.content.data, state: move.content.state } })
  }
  if (move.event) {
    const eventData = typeof move.event.data === 'function' ? move.event.data(row) : move.event.data
    await recordEvent(tx, row.id, row.contentHash, move.event.type, eventData)
  }
  if (isFinished(move.to)) await enqueueSessionOutcome(row.id, tx)
  if (move.cancel) await tx.$executeRaw`SELECT pg_notify(${CANCEL_CHANNEL}, ${row.id})`
  if (move.wake) await tx.$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`)
  return updated
}

/** The first session of new content, created in the caller's transaction (the one writing the content). */
export async function createSession(tx: Tx, contentHash: string, eventData: Record<string, unknown>): Promise<TranscodeSession> {
  const session = await tx.transcodeSession.create({ data: { contentHash } })
  await recordEvent(tx, session.id, contentHash, 'SessionQueued', eventData)
  await tx.$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`)
  return session
}

/** Moves session `id` in one transaction (NOT_FOUND, or CONFLICT when the move is not allowed now). */
export async function moveSession(id: string, move: SessionMove): Promise<TranscodeSession> {
  return db.$transaction(async (tx) => {
    const row = await lockSession(tx, id)
    if (!row) throw new AppError('NOT_FOUND', 'No such session.')
    return applyMove(tx, row, move)
  })
}

// ── The worker's moves. Each checks that the worker still holds the lease. ──

/** A claimed session starts encoding; its content is processing from now on. */
export function startRun(id: string, workerId: string, info: { attempt: number; fallback: boolean }): Promise<TranscodeSession> {
  return moveSession(id, {
    to: 'RUNNING',
    leaseOwner: workerId,
    session: { progress: 0, segmentsReady: 0 },
    content: { state: 'PROCESSING', data: { error: null } },
    event: { type: 'SessionStarted', data: { attempt: info.attempt, worker: workerId, fallback: info.fallback } },
  })
}

export interface StoredRun {
  encode: { speed: number; segments: number; wallMs: number }
  facts: { durationMs: number; width: number; height: number }
  /** The probe facts kept on the content. */
  probe: Prisma.InputJsonValue
  renditions: Omit<Prisma.RenditionCreateManyInput, 'contentHash'>[]
  /** Subtitle streams of the upload: kept on the content and given to each of its videos as captions. */
  textTracks?: EmbeddedTextTrack[]
}

/** Outputs are written and checked (COMPLETED), then the rows say so (STORED): two moves, each atomic. */
export async function storeRun(id: string, workerId: string, run: StoredRun): Promise<TranscodeSession> {
  const { speed, segments, wallMs } = run.encode
  await moveSession(id, {
    to: 'COMPLETED',
    leaseOwner: workerId,
    session: { progress: 1, encodeSpeed: speed, segmentsReady: segments, segmentsTotal: segments },
    event: { type: 'TranscodeCompleted', data: { speed, segments, wallMs } },
  })
  return moveSession(id, {
    to: 'STORED',
    leaseOwner: workerId,
    session: (row) => ({ finishedAt: row.dbNow, leaseOwner: null, leaseExpiresAt: null }),
    content: {
      state: 'STORED',
      data: { storedAt: new Date(), error: null, ...run.facts, probe: run.probe, textTracks: (run.textTracks ?? []) as unknown as Prisma.InputJsonValue },
    },
    write: async (tx, row) => {
      await tx.rendition.deleteMany({ where: { contentHash: row.contentHash } })
      await tx.rendition.createMany({ data: run.renditions.map((r) => ({ ...r, contentHash: row.contentHash })) })
      if (run.textTracks?.length) {
        const videos = await tx.video.findMany({ where: { contentHash: row.contentHash }, select: { id: true } })
        // A re-encode adds none twice: a video has at most one caption per source stream.
        await tx.caption.createMany({ data: videos.flatMap((v) => captionRowsFor(v.id, run.textTracks ?? [])), skipDuplicates: true })
      }
    },
    event: { type: 'SessionStored' },
  })
}

/**
 * Back to the queue for another try at `runAt`. `countAttempt: false` gives the attempt back (the
 * failure was the machine's, not the input's); `fallback` makes the next try drop the top rung.
 */
export function requeueRun(
  id: string,
  workerId: string,
  opts: { reason: string; delayMs: number; countAttempt: boolean; fallback: boolean },
): Promise<TranscodeSession> {
  return moveSession(id, {
    to: 'QUEUED',
    leaseOwner: workerId,
    session: (row) => ({
      runAt: new Date(row.dbNow.getTime() + opts.delayMs),
      error: opts.reason,
      leaseOwner: null,
      leaseExpiresAt: null,
      fallback: opts.fallback,
      ...(opts.countAttempt ? {} : { attempt: Math.max(0, row.attempt - 1) }),
    }),
    event: {
      type: 'SessionRetrying',
      data: (row) => ({ reason: opts.reason, runAt: new Date(row.dbNow.getTime() + opts.delayMs).toISOString(), fallback: opts.fallback }),
    },
  })
}

/**
 * The run failed for good: session and content FAILED, `session.failed`/`video.failed` enqueued.
 * `contentMime` replaces the type the original is served with (an upload the probe refused).
 */
export function failRun(id: string, workerId: string, reason: string, opts: { contentMime?: string } = {}): Promise<TranscodeSession> {
  return moveSession(id, {
    to: 'FAILED',
    leaseOwner: workerId,
    session: (row) => ({ error: reason, finishedAt: row.dbNow, leaseOwner: null, leaseExpiresAt: null }),
    content: { state: 'FAILED', data: { error: reason, ...(opts.contentMime ? { mime: opts.contentMime } : {}) } },
    event: { type: 'TranscodeFailed', data: { reason } },
  })
}

// ── Moves people ask for (authorization is the caller's). ──

/** Stops a queued or running session; the worker holding it kills FFmpeg at once. */
export function cancelRun(id: string, by: string): Promise<TranscodeSession> {
  return moveSession(id, {
    to: 'CANCELLED',
    from: ['QUEUED', 'STARTING', 'RUNNING'],
    session: (row) => ({ finishedAt: row.dbNow, leaseOwner: null, leaseExpiresAt: null, error: 'cancelled by an admin' }),
    content: { state: 'FAILED', data: { error: 'processing was cancelled' } },
    event: { type: 'SessionCancelled', data: { by } },
    cancel: true,
  })
}

/** A finished session (failed, cancelled, or stored: a re-encode) queued again as a fresh run. */
export function requeueFinished(id: string, by: string, opts: { profile?: string } = {}): Promise<TranscodeSession> {
  return moveSession(id, {
    to: 'QUEUED',
    from: ['FAILED', 'CANCELLED', 'STORED'],
    session: (row) => ({
      attempt: 0,
      runAt: row.dbNow,
      error: null,
      progress: 0,
      segmentsReady: 0,
      fallback: false,
      finishedAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      ...(opts.profile ? { profile: opts.profile } : {}),
    }),
    content: { state: 'PROCESSING', data: { error: null } },
    event: { type: 'SessionQueued', data: { by, retry: true } },
    wake: true,
  })
}
