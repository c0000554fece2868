import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { StreamingConfig } from '@/lib/config/streaming'
import { log } from '@/lib/log'
import { writeAudioGroup } from './audio-groups'
import { EncodeProgress } from './encode-progress'
import { isSystemicErrno, MediaRejected, PipelineError } from './errors'
import { buildTranscodeArgs } from './ffmpeg-args'
import { ffmpegLogPath, writeFfmpegLog } from './ffmpeg-log'
import { partialDir, promotePartial, removePipelineOutputs } from './outputs'
import type { ProbeFacts } from './probe'
import { lastLines, type PauseSignal, type ToolResult, startTool, TOOLS } from './process'
import { percentOf } from './progress'
import { type Playable, type SegmentReady, SegmentWatch } from './segment-watch'
import { planTranscode, type TranscodePlan } from './transcode-plan'

export type { Playable, SegmentReady } from './segment-watch'
export type { PlannedRendition, TranscodePlan } from './transcode-plan'
export { planTranscode } from './transcode-plan'

const plog = log.child({ c: 'pipeline' })

export interface TranscodeProgress {
  percent: number
  outTimeMs: number
  durationMs: number
  /** ×realtime. */
  speed: number
  fps: number
  elapsedMs: number
  segmentsReady: number
  segmentsTotal: number
}

export interface TranscodeOptions {
  inputPath: string
  /** Content directory; receives the outputs only when the encode is complete. */
  outDir: string
  probe: ProbeFacts
  config: StreamingConfig
  signal?: AbortSignal
  /** Pauses FFmpeg (the priority lane) without losing its work; the hang check waits meanwhile. */
  pause?: PauseSignal
  onProgress?: (p: TranscodeProgress) => void
  onSegment?: (s: SegmentReady) => void
  /** Once: the first segment of every rendition is listed in its playlist. */
  onPlayable?: (p: Playable) => void
  /** Kill FFmpeg when its output time has not advanced for this long. Default 60 s. */
  hangTimeoutMs?: number
  /** Retry mode: drop the top rung. */
  fallback?: boolean
  /** How often the work directory is checked for new segments. Default 250 ms. */
  pollMs?: number
}

export interface TranscodeResult {
  plan: TranscodePlan
  /** Segments actually written, all renditions. */
  segments: number
  wallMs: number
  /** Media duration / wall time. */
  speed: number
  /** From FFmpeg start to the first segment of every rendition being listed; null if never. */
  firstPlayableMs: number | null
  /** Absolute path of logs/ffmpeg.log. */
  logPath: string
}

/** Caller callbacks run inside stream and timer handlers: one that throws must not take the worker down. */
function notify<T>(fn: ((x: T) => void) | undefined, value: T): void {
  try {
    fn?.(value)
  } catch (err) {
    plog.warn({ err }, 'pipeline callback threw')
  }
}

/** Creates the content directory and one work folder per rendition (the muxer does not create folders named by its template). */
async function prepare(outDir: string, work: string, plan: TranscodePlan): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true })
    await removePipelineOutputs(outDir)
    for (const r of plan.renditions) await mkdir(path.join(work, r.dir), { recursive: true })
  } catch (err) {
    throw new PipelineError(isSystemicErrno(err) ? 'unavailable' : 'ffmpeg', `cannot prepare ${outDir}: ${(err as Error).message}`)
  }
}

/** What a finished FFmpeg run means: null when it succeeded, otherwise the error to throw. */
function failureOf(result: ToolResult, hangMs: number, status: string): PipelineError | MediaRejected | null {
  if (result.killedBy === 'abort') return new PipelineError('cancelled', 'transcode cancelled', lastLines(result.stderrTail, 20))
  if (result.killedBy === 'hung')
    return new PipelineError('hung', `ffmpeg made no progress for ${Math.round(hangMs / 1000)} s`, lastLines(result.stderrTail, 20))
  if (result.code !== 0) {
    const systemic = /No space left on device|Disk quota exceeded/i.test(result.stderrTail)
    return new PipelineError(
      systemic ? 'unavailable' : 'ffmpeg',
      `ffmpeg ${status}: ${lastLines(result.stderrTail, 2) || 'no output'}`,
      lastLines(result.stderrTail, 20),
    )
  }
  // The demuxer reached the end of the file before the data its index promises: an incomplete upload.
  // FFmpeg still exits 0 with a shorter video, so this is the only reliable signal.
  if (/partial file/.test(result.stderrTail))
    return new MediaRejected('truncated', 'The file is incomplete: it ends before the media its index describes (interrupted upload?).')
  return null
}

/**
 * Runs the one FFmpeg process that encodes and packages the ladder. Writes into `<outDir>/.partial`
 * (servable while running), moves the outputs into outDir only on success, removes the work directory
 * on any failure, and always leaves logs/ffmpeg.log. Idempotent: a retry first deletes earlier outputs.
 */
export async function runTranscode(opts: TranscodeOptions): Promise<TranscodeResult> {
  const { outDir, probe, config } = opts
  const plan = planTranscode(probe, config, { fallback: opts.fallback })
  const work = partialDir(outDir)
  const hangMs = opts.hangTimeoutMs ?? 60_000
  await prepare(outDir, work, plan)

  const args = buildTranscodeArgs({ inputPath: opts.inputPath, outDir: work, facts: probe, plan: plan.ladder, config })
  const started = performance.now()
  const elapsed = () => performance.now() - started
  const progress = new EncodeProgress(elapsed)
  const segments = new SegmentWatch(work, plan.renditions, plan.segmentsTotal, {
    elapsedMs: elapsed,
    onSegment: (s) => notify(opts.onSegment, s),
    onPlayable: (p) => notify(opts.onPlayable, p),
    onScanError: (err) => plog.warn({ err }, 'segment poll failed'),
    prepareMaster: () => writeAudioGroup(work, plan.renditions, config.audio.channels),
  })
  const emitProgress = (done = false) =>
    notify(opts.onProgress, {
      percent: percentOf(progress.latest.outTimeMs, probe.durationMs, done),
      ...progress.latest,
      durationMs: probe.durationMs,
      elapsedMs: Math.round(elapsed()),
      segmentsReady: segments.segmentsReady,
      segmentsTotal: segments.segmentsTotal,
    })

  const unsubscribePause = opts.pause?.subscribe((paused) => progress.setPaused(paused))
  progress.setPaused(!!opts.pause?.paused)
  const run = startTool(TOOLS.ffmpeg, args, {
    signal: opts.signal,
    pause: opts.pause,
    nice: config.encoder.nice,
    stderrTailBytes: 256 * 1024,
    onStdout: (chunk) => progress.feed(chunk, () => emitProgress()),
  })
  const hangTimer = setInterval(
    () => {
      if (progress.stalledMs() > hangMs) run.kill('hung')
    },
    Math.min(1000, Math.max(50, hangMs / 4)),
  )
  segments.start(opts.pollMs ?? 250)

  let result: ToolResult
  try {
    result = await run.done
  } catch (err) {
    await segments.stop()
    await rm(work, { recursive: true, force: true })
    throw err
  } finally {
    clearInterval(hangTimer)
    unsubscribePause?.()
  }
  await segments.stop()

  const wallMs = Math.round(result.wallMs)
  const status = result.killedBy ? `killed (${result.killedBy})` : `exit ${result.code ?? result.signal}`
  const logPath = await writeFfmpegLog(outDir, args, `# ${status} after ${wallMs} ms\n${result.stderrTail}`).catch(() => ffmpegLogPath(outDir))
  const discard = async (err: Error): Promise<never> => {
    await rm(work, { recursive: true, force: true })
    plog.debug({ outDir, wallMs, err: err.message }, 'transcode failed')
    throw err
  }

  const failure = failureOf(result, hangMs, status)
  if (failure) return discard(failure)

  await segments.scan()
  try {
    // Short encodes may end before a scan saw every playlist: the master gets its audio group here then.
    await writeAudioGroup(work, plan.renditions, config.audio.channels)
    await promotePartial(outDir)
  } catch (err) {
    return discard(
      new PipelineError(
        isSystemicErrno(err) ? 'unavailable' : 'ffmpeg',
        `cannot move outputs into place: ${(err as Error).message}`,
        lastLines(result.stderrTail, 20),
      ),
    )
  }
  segments.segmentsTotal = segments.segmentsReady
  emitProgress(true)
  const speed = wallMs > 0 ? probe.durationMs / wallMs : 0
  plog.debug({ outDir, wallMs, speed, segments: segments.segmentsReady, firstPlayableMs: segments.firstPlayableMs }, 'transcode complete')
  return { plan, segments: segments.segmentsReady, wallMs, speed, firstPlayableMs: segments.firstPlayableMs, logPath }
}
