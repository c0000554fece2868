import { mkdir } from 'node:fs/promises'
import type { EmbeddedTextTrack } from '@/lib/captions/embedded'
import { streamingConfig } from '@/lib/config/streaming'
import { workRoot } from '@/lib/content/paths'
import { contentStore, localContentStore } from '@/lib/content/store'
import { db, type Prisma, type TranscodeSession } from '@/lib/db'
import { log } from '@/lib/log'
import { type ProcessResult, processContent, type StreamingConfig, type TranscodeProgress } from '@/lib/pipeline'
import { extractTextTracks } from '@/lib/pipeline/subtitles'
import { publishEvent } from '@/lib/queue/events'
import { backoffMs, SESSION_POLICY } from '@/lib/queue/policy'
import type { ClaimGate, SessionHandler, SessionHandlerContext } from '@/lib/queue/runner'
import { type StoredRun, startRun } from '@/lib/sessions/lifecycle'
import { CircuitBreaker } from './breaker'
import { carryOut } from './carry-out'
import { freeBytes, requiredBytesFor } from './disk'
import { decideOutcome, type Failure, failureOf, type Outcome } from './outcome'
import { openWorkspace, type Workspace } from './workspace'

const wlog = log.child({ c: 'transcode' })

/** Progress goes to the session row and over NOTIFY at most this often; to SessionEvent rows less. */
const PROGRESS_EVERY_MS = 1_000
const PROGRESS_PERSIST_EVERY_MS = 5_000

export async function createSessionHandler(): Promise<{ handler: SessionHandler; gate: ClaimGate; config: StreamingConfig }> {
  const config = streamingConfig()
  const breaker = new CircuitBreaker()
  const handler: SessionHandler = async (session, ctx) => {
    const result = await attempt(session, ctx, config)
    if (!result) return null
    const policy = { maxAttempts: session.maxAttempts, backoffMs, systemicDelayMs: SESSION_POLICY.systemicRetryMs }
    const outcome: Outcome = 'stored' in result ? { kind: 'stored' } : decideOutcome(result.failure, session.attempt, session.fallback, policy)
    await carryOut(session, ctx.workerId, outcome, { breaker, stored: 'stored' in result ? result.stored : undefined })
    return outcome
  }
  return { handler, gate: breaker, config }
}

/** One attempt: stored outputs, a failure, or null when the run was aborted (no longer ours to record). */
type Attempt = { stored: StoredRun } | { failure: Failure } | null

/** Runs one claimed session through the pipeline. Moves it to RUNNING; the outcome is recorded by the caller. */
async function attempt(session: TranscodeSession, ctx: SessionHandlerContext, config: StreamingConfig): Promise<Attempt> {
  const { workerId, signal, pause, report } = ctx
  const slog = wlog.child({ session: session.id, attempt: session.attempt })
  const content = await db.content.findUnique({ where: { hash: session.contentHash } })
  const store = contentStore()
  if (!content || !(await store.has(session.contentHash).catch(() => true))) {
    return { failure: { kind: 'missing-original', reason: 'the uploaded file is missing from the content store' } }
  }
  if (session.attempt > session.maxAttempts) {
    return { failure: { kind: 'attempts-exhausted', reason: `gave up after ${session.maxAttempts} attempts (workers stopped mid-encode)` } }
  }
  const free = await freeBytes(store.kind === 'local' ? localContentStore().filePath(session.contentHash, '.') : await scratchRoot()).catch(
    () => Number.POSITIVE_INFINITY,
  )
  if (free < requiredBytesFor(Number(content.size))) {
    return { failure: { kind: 'disk-low', reason: `not enough free disk space (${Math.round(free / 1024 ** 2)} MiB free)` } }
  }

  try {
    await startRun(session.id, workerId, { attempt: session.attempt, fallback: session.fallback })
  } catch (err) {
    slog.warn({ err: (err as Error).message }, 'could not start the run')
    return null
  }

  let lastWrite = 0
  let lastPersist = 0
  const onProgress = (p: TranscodeProgress) => {
    report({ encodedMs: p.outTimeMs, durationMs: p.durationMs })
    const now = Date.now()
    if (now - lastWrite < PROGRESS_EVERY_MS) return
    lastWrite = now
    const persist = now - lastPersist >= PROGRESS_PERSIST_EVERY_MS
    if (persist) lastPersist = now
    const data = { progress: Math.min(0.99, p.percent / 100), encodeSpeed: p.speed, segmentsReady: p.segmentsReady, segmentsTotal: p.segmentsTotal }
    void db.transcodeSession.updateMany({ where: { id: session.id, leaseOwner: workerId }, data }).catch(() => {})
    void publishEvent(session.id, session.contentHash, 'ProgressUpdate', { ...data, percent: p.percent }, persist).catch(() => {})
  }

  let workspace: Workspace | undefined
  try {
    workspace = await openWorkspace(store, session.contentHash, signal)
    const { inputPath, outDir, onSegment } = workspace
    const result = await processContent({
      inputPath,
      outDir,
      config: ladderUpTo(config, session.profile),
      signal,
      pause,
      fallback: session.fallback,
      // Only the encode is paused by the priority lane; the other stages are short.
      onStage: (stage) => report({ encoding: stage === 'encode' }),
      onProgress,
      // Recorded before the encode: the video's JSON tells players at once whether the original plays by URL.
      onProbed: (facts) =>
        db.content
          .update({
            where: { hash: session.contentHash },
            data: { probe: facts as unknown as Prisma.InputJsonValue, durationMs: facts.durationMs, width: facts.width, height: facts.height },
          })
          .then(
            () => undefined,
            (err) => slog.warn({ err: (err as Error).message }, 'could not record the probe facts'),
          ),
      onSegment: (s) => {
        onSegment()
        // Every segment is notified; the first of each rendition is also kept in the timeline.
        void publishEvent(
          session.id,
          session.contentHash,
          'SegmentReady',
          { rendition: s.rendition, number: s.number, segmentsReady: s.segmentsReady },
          s.number === 1,
        ).catch(() => {})
      },
      onPlayable: (p) => {
        void publishEvent(session.id, session.contentHash, 'ManifestUpdated', { playable: true, afterMs: p.elapsedMs }).catch(() => {})
      },
    })
    // From the same input, before the workspace lets go of it.
    const textTracks = await extractTextTracks(inputPath, result.facts.container, { signal }).catch((err) => {
      if (signal.aborted) throw err
      slog.warn({ err: (err as Error).message }, 'could not extract subtitle streams')
      return []
    })
    await workspace.finish()
    slog.info({ speed: result.encode.speed, firstPlayableMs: result.encode.firstPlayableMs }, 'session encoded')
    return { stored: storedRun(result, textTracks) }
  } catch (err) {
    if (signal.aborted) {
      // Cancelled by an admin (the session is CANCELLED already), lease lost, or shutting down
      // (the runner gives the session back): nothing to record here.
      slog.info({ reason: String(signal.reason?.message ?? signal.reason) }, 'session aborted')
      return null
    }
    const failure = failureOf(err)
    slog.warn({ err: failure.reason, kind: failure.kind }, 'session attempt failed')
    await workspace?.failed()
    return { failure }
  } finally {
    await workspace?.close()
  }
}

/** This node's scratch directory for remote-store encodes, created so its disk can be measured. */
async function scratchRoot(): Promise<string> {
  const dir = workRoot()
  await mkdir(dir, { recursive: true }).catch(() => {})
  return dir
}

/** The rows a stored run writes, from the pipeline's result. */
function storedRun(result: ProcessResult, textTracks: EmbeddedTextTrack[]): StoredRun {
  return {
    textTracks,
    encode: { speed: result.encode.speed, segments: result.encode.segments, wallMs: result.encode.wallMs },
    facts: { durationMs: result.facts.durationMs, width: result.facts.width, height: result.facts.height },
    probe: result.facts as unknown as Prisma.InputJsonValue,
    renditions: result.renditions.map((r) => ({
      name: r.name,
      kind: r.kind,
      width: r.width,
      height: r.height,
      bitrate: r.bitrate,
      codecs: r.codecs,
      bytes: BigInt(r.bytes),
      segments: r.segments,
    })),
  }
}

/** A re-encode "at profile P" (admin choice) keeps only the rungs at or below P. */
export function ladderUpTo(config: StreamingConfig, profile: string | null): StreamingConfig {
  const top = profile ? config.profiles.find((p) => p.name === profile) : undefined
  return top ? { ...config, profiles: config.profiles.filter((p) => p.height <= top.height) } : config
}
