import { streamingConfig } from '@/lib/config/streaming'
import { UNRECOGNISED_TYPE } from '@/lib/content/original-type'
import { localContentStore } from '@/lib/content/store'
import { db, type Prisma, type TranscodeSession } from '@/lib/db'
import { log } from '@/lib/log'
import {
  MediaRejected,
  PipelineError,
  type ProcessResult,
  processContent,
  type StreamingConfig,
  type TranscodeProgress,
} from '@/lib/pipeline'
import { publishEvent } from '@/lib/queue/events'
import { backoffMs } from '@/lib/queue/policy'
import type { ClaimGate, SessionHandler, SessionHandlerContext } from '@/lib/queue/runner'
import { transition } from '@/lib/queue/state'
import { CircuitBreaker } from './breaker'
import { freeBytes, requiredBytesFor } from './disk'
import { notifyOutcome } from './outcome'

const wlog = log.child({ c: 'transcode' })

/** Progress goes to the session row and over NOTIFY at most this often; to SessionEvent rows less. */
const PROGRESS_EVERY_MS = 1_000
const PROGRESS_PERSIST_EVERY_MS = 5_000

export async function createSessionHandler(): Promise<{ handler: SessionHandler; gate: ClaimGate; config: StreamingConfig }> {
  const config = streamingConfig()
  const breaker = new CircuitBreaker()
  const handler: SessionHandler = (session, ctx) => runSession(session, ctx, config, breaker)
  return { handler, gate: breaker, config }
}

/** Moves one claimed session through the pipeline and records where it ended. Never throws. */
async function runSession(session: TranscodeSession, ctx: SessionHandlerContext, config: StreamingConfig, breaker: CircuitBreaker) {
  const { workerId, signal } = ctx
  const slog = wlog.child({ session: session.id, attempt: session.attempt })
  const content = await db.content.findUnique({ where: { hash: session.contentHash } })
  const store = localContentStore()
  if (!content || !(await store.has(session.contentHash))) {
    await fail(session, workerId, 'the uploaded file is missing from the content store')
    return
  }
  if (session.attempt > session.maxAttempts) {
    await fail(session, workerId, `gave up after ${session.maxAttempts} attempts (workers stopped mid-encode)`)
    return
  }
  const free = await freeBytes(store.filePath(session.contentHash, '.')).catch(() => Number.POSITIVE_INFINITY)
  if (free < requiredBytesFor(Number(content.size))) {
    breaker.recordSystemicFailure(`disk low: ${Math.round(free / 1024 ** 2)} MiB free`)
    await requeue(session, workerId, { countAttempt: false, reason: 'not enough free disk space', delayMs: 30_000 })
    return
  }

  await transition(session.id, 'RUNNING', { progress: 0, segmentsReady: 0 }, { leaseOwner: workerId })
  await db.content.update({ where: { hash: session.contentHash }, data: { state: 'PROCESSING', error: null } })
  await publishEvent(session.id, session.contentHash, 'SessionStarted', { attempt: session.attempt, worker: workerId, fallback: session.fallback })

  let lastWrite = 0
  let lastPersist = 0
  const onProgress = (p: TranscodeProgress) => {
    const now = Date.now()
    if (now - lastWrite < PROGRESS_EVERY_MS) return
    lastWrite = now
    const persist = now - lastPersist >= PROGRESS_PERSIST_EVERY_MS
    if (persist) lastPersist = now
    const data = { progress: Math.min(0.99, p.percent / 100), encodeSpeed: p.speed, segmentsReady: p.segmentsReady, segmentsTotal: p.segmentsTotal }
    void db.transcodeSession.updateMany({ where: { id: session.id, leaseOwner: workerId }, data }).catch(() => {})
    void publishEvent(session.id, session.contentHash, 'ProgressUpdate', { ...data, percent: p.percent }, persist).catch(() => {})
  }

  try {
    const result = await processContent({
      inputPath: store.filePath(session.contentHash, 'original'),
      outDir: store.filePath(session.contentHash, ''),
      config: ladderUpTo(config, session.profile),
      signal,
      fallback: session.fallback,
      onProgress,
      onSegment: (s) => {
        // Every segment is notified; the first of each rendition is also kept in the timeline.
        void publishEvent(session.id, session.contentHash, 'SegmentReady', { rendition: s.rendition, number: s.number, segmentsReady: s.segmentsReady }, s.number === 1).catch(() => {})
      },
      onPlayable: (p) => {
        void publishEvent(session.id, session.contentHash, 'ManifestUpdated', { playable: true, afterMs: p.elapsedMs }).catch(() => {})
      },
    })
    await markStored(session, workerId, result)
    breaker.recordSuccess()
    slog.info({ speed: result.encode.speed, firstPlayableMs: result.encode.firstPlayableMs }, 'session stored')
  } catch (err) {
    await handleFailure(session, workerId, signal, err, breaker, slog)
  }
}

/** A re-encode "at profile P" (admin choice) keeps only the rungs at or below P. */
export function ladderUpTo(config: StreamingConfig, profile: string | null): StreamingConfig {
  const top = profile ? config.profiles.find((p) => p.name === profile) : undefined
  return top ? { ...config, profiles: config.profiles.filter((p) => p.height <= top.height) } : config
}

/** COMPLETED (outputs written) then STORED (rows say so): each step checks we still hold the lease. */
async function markStored(session: TranscodeSession, workerId: string, result: ProcessResult) {
  await transition(session.id, 'COMPLETED', { progress: 1, encodeSpeed: result.encode.speed, segmentsReady: result.encode.segments, segmentsTotal: result.encode.segments }, { leaseOwner: workerId })
  await publishEvent(session.id, session.contentHash, 'TranscodeCompleted', { speed: result.encode.speed, segments: result.encode.segments, wallMs: result.encode.wallMs })
  await db.$transaction(async (tx) => {
    await tx.rendition.deleteMany({ where: { contentHash: session.contentHash } })
    await tx.rendition.createMany({
      data: result.renditions.map((r) => ({
        contentHash: session.contentHash,
        name: r.name,
        kind: r.kind,
        width: r.width,
        height: r.height,
        bitrate: r.bitrate,
        codecs: r.codecs,
        bytes: BigInt(r.bytes),
        segments: r.segments,
      })),
    })
    await tx.content.update({
      where: { hash: session.contentHash },
      data: {
        state: 'STORED',
        storedAt: new Date(),
        error: null,
        durationMs: result.facts.durationMs,
        width: result.facts.width,
        height: result.facts.height,
        probe: result.facts as unknown as Prisma.InputJsonValue,
      },
    })
    await transition(session.id, 'STORED', { finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null }, { leaseOwner: workerId, tx })
  })
  await publishEvent(session.id, session.contentHash, 'SessionStored', {})
  await notifyOutcome(session.contentHash, 'ready')
}

async function handleFailure(
  session: TranscodeSession,
  workerId: string,
  signal: AbortSignal,
  err: unknown,
  breaker: CircuitBreaker,
  slog: typeof wlog,
) {
  if (signal.aborted) {
    // Cancelled by an admin (the session is CANCELLED already), lease lost, or shutting down
    // (the runner gives the session back): nothing to record here.
    slog.info({ reason: String(signal.reason?.message ?? signal.reason) }, 'session aborted')
    return
  }
  if (err instanceof MediaRejected) {
    // The owner keeps the bytes, but what the probe refused is only ever served as a download.
    await db.content.update({ where: { hash: session.contentHash }, data: { mime: UNRECOGNISED_TYPE } })
    await fail(session, workerId, err.message)
    return
  }
  const pe = err instanceof PipelineError ? err : null
  const reason = pe?.message ?? (err as Error)?.message ?? String(err)
  slog.warn({ err: reason, kind: pe?.kind }, 'session attempt failed')
  if (pe?.systemic) {
    breaker.recordSystemicFailure(reason)
    await requeue(session, workerId, { countAttempt: false, reason, delayMs: 30_000 })
    return
  }
  if (session.attempt < session.maxAttempts) {
    // After FFmpeg failed on the full ladder, the next try drops the top rung ("fallback to lower quality").
    const fallback = session.fallback || pe?.kind === 'ffmpeg'
    await requeue(session, workerId, { countAttempt: true, reason, delayMs: backoffMs(session.attempt), fallback })
    return
  }
  await fail(session, workerId, reason)
}

async function requeue(
  session: TranscodeSession,
  workerId: string,
  opts: { countAttempt: boolean; reason: string; delayMs: number; fallback?: boolean },
) {
  const runAt = new Date(Date.now() + opts.delayMs)
  await transition(
    session.id,
    'QUEUED',
    {
      runAt,
      error: opts.reason,
      leaseOwner: null,
      leaseExpiresAt: null,
      fallback: opts.fallback ?? session.fallback,
      ...(opts.countAttempt ? {} : { attempt: Math.max(0, session.attempt - 1) }),
    },
    { leaseOwner: workerId },
  ).catch((e) => wlog.warn({ err: e.message, session: session.id }, 'could not requeue'))
  await publishEvent(session.id, session.contentHash, 'SessionRetrying', { reason: opts.reason, runAt: runAt.toISOString(), fallback: opts.fallback ?? false })
}

async function fail(session: TranscodeSession, workerId: string, reason: string) {
  await transition(session.id, 'FAILED', { error: reason, finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null }, { leaseOwner: workerId }).catch(
    (e) => wlog.warn({ err: e.message, session: session.id }, 'could not mark failed'),
  )
  await db.content.update({ where: { hash: session.contentHash }, data: { state: 'FAILED', error: reason } })
  await publishEvent(session.id, session.contentHash, 'TranscodeFailed', { reason })
  await notifyOutcome(session.contentHash, 'failed', reason)
}


