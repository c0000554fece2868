import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { log } from '@/lib/log'
import type { StreamingConfig } from '@/lib/config/streaming'
import { isSystemicErrno, MediaRejected, PipelineError } from './errors'
import { buildTranscodeArgs, representationIds } from './ffmpeg-args'
import { type LadderPlan, planLadder } from './ladder'
import { FFMPEG_LOG, HLS_MASTER, mediaPlaylist, SEGMENT_RE, segmentPath, streamDir } from '@/lib/content/layout'
import { parseHlsMediaPlaylist } from './manifests'
import type { ProbeFacts } from './probe'
import { partialDir, promotePartial, removePipelineOutputs } from './outputs'
import { lastLines, startTool, TOOLS } from './process'
import { percentOf, ProgressParser } from './progress'
import { expectedSegmentCount } from './segments'

const plog = log.child({ c: 'pipeline' })

/** One output of the ladder as planned before encoding (paths relative to outDir / partialDir). */
export interface PlannedRendition {
  /** DASH representation id; names the folder and the HLS playlist. */
  id: number
  name: string
  kind: 'video' | 'audio'
  width: number
  height: number
  /** Bits per second (cap for video, target for audio). */
  bitrate: number
  dir: string
  playlist: string
  expectedSegments: number
}

export interface TranscodePlan {
  ladder: LadderPlan
  renditions: PlannedRendition[]
  /** Estimate: expected segments × renditions. Exact once the encode is done. */
  segmentsTotal: number
  /** Upper bound of the encoded size (every rung at its cap), for a disk-space check before starting. */
  estimatedBytes: number
}

/** Pure: what runTranscode will produce, so the caller can create rows and totals before it starts. */
export function planTranscode(probe: ProbeFacts, config: StreamingConfig, opts: { fallback?: boolean } = {}): TranscodePlan {
  const ladder = planLadder(probe, config, opts)
  const ids = representationIds(ladder)
  const expected = expectedSegmentCount(probe.durationMs, config)
  const renditions: PlannedRendition[] = ladder.rungs.map((r, i) => ({
    id: ids.video[i],
    name: r.name,
    kind: 'video',
    width: r.width,
    height: r.height,
    bitrate: r.bitrate * 1000,
    dir: streamDir(ids.video[i]),
    playlist: mediaPlaylist(ids.video[i]),
    expectedSegments: expected,
  }))
  if (ids.audio !== null)
    renditions.push({
      id: ids.audio,
      name: 'audio',
      kind: 'audio',
      width: 0,
      height: 0,
      bitrate: config.audio.bitrate * 1000,
      dir: streamDir(ids.audio),
      playlist: mediaPlaylist(ids.audio),
      expectedSegments: expected,
    })
  // Caps are maxima; 5 % covers container overhead (fMP4 boxes, init segments, playlists).
  const estimatedBytes = Math.ceil((renditions.reduce((a, r) => a + r.bitrate, 0) / 8) * (probe.durationMs / 1000) * 1.05)
  return { ladder, renditions, segmentsTotal: expected * renditions.length, estimatedBytes }
}

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

export interface SegmentReady {
  representationId: number
  rendition: string
  kind: 'video' | 'audio'
  /** 1-based segment number. */
  number: number
  /** Relative path, e.g. streams/0/seg-00001.m4s (under partialDir while encoding). */
  path: string
  segmentsReady: number
  segmentsTotal: number
}

export interface Playable {
  /** Directory to serve while the session runs; its master.m3u8 lists what is ready (growing playlists). */
  partialDir: string
  elapsedMs: number
}

export interface TranscodeOptions {
  inputPath: string
  /** Content directory; receives the outputs only when the encode is complete. */
  outDir: string
  probe: ProbeFacts
  config: StreamingConfig
  signal?: AbortSignal
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

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`
}

async function writeLog(outDir: string, args: string[], body: string): Promise<string> {
  const file = path.join(outDir, FFMPEG_LOG)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(`${file}.tmp`, `# ${TOOLS.ffmpeg} ${args.map(quote).join(' ')}\n${body}`)
  await rename(`${file}.tmp`, file)
  return file
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
  const pollMs = opts.pollMs ?? 250

  try {
    await mkdir(outDir, { recursive: true })
    await removePipelineOutputs(outDir)
    // The muxer does not create folders named by its file-name template.
    for (const r of plan.renditions) await mkdir(path.join(work, r.dir), { recursive: true })
  } catch (err) {
    throw new PipelineError(isSystemicErrno(err) ? 'unavailable' : 'ffmpeg', `cannot prepare ${outDir}: ${(err as Error).message}`)
  }

  const args = buildTranscodeArgs({ inputPath: opts.inputPath, outDir: work, facts: probe, plan: plan.ladder, config })
  const started = performance.now()
  const elapsed = () => performance.now() - started
  const seen = new Map<number, number>(plan.renditions.map((r) => [r.id, 0]))
  let segmentsReady = 0
  let segmentsTotal = plan.segmentsTotal
  let firstPlayableMs: number | null = null
  let lastOut = -1
  let lastFrame = -1
  let lastAdvance = performance.now()
  let latest = { outTimeMs: 0, speed: 0, fps: 0 }

  const emitProgress = (done = false) =>
    notify(opts.onProgress, {
      percent: percentOf(latest.outTimeMs, probe.durationMs, done),
      outTimeMs: latest.outTimeMs,
      durationMs: probe.durationMs,
      speed: latest.speed,
      fps: latest.fps,
      elapsedMs: Math.round(elapsed()),
      segmentsReady,
      segmentsTotal,
    })

  const parser = new ProgressParser()
  const run = startTool(TOOLS.ffmpeg, args, {
    signal: opts.signal,
    nice: config.encoder.nice,
    stderrTailBytes: 256 * 1024,
    onStdout: (chunk) => {
      for (const snap of parser.feed(chunk)) {
        if (snap.outTimeMs > lastOut || snap.frame > lastFrame) lastAdvance = performance.now()
        lastOut = Math.max(lastOut, snap.outTimeMs)
        lastFrame = Math.max(lastFrame, snap.frame)
        const wallS = elapsed() / 1000
        latest = { outTimeMs: snap.outTimeMs, speed: snap.speed ?? (wallS > 0 ? snap.outTimeMs / 1000 / wallS : 0), fps: snap.fps }
        if (!snap.done) emitProgress()
      }
    },
  })

  const hangTimer = setInterval(() => {
    if (performance.now() - lastAdvance > hangMs) run.kill('hung')
  }, Math.min(1000, Math.max(50, hangMs / 4)))

  let polling = false
  const poll = async () => {
    if (polling) return
    polling = true
    try {
      for (const r of plan.renditions) {
        let names: string[]
        try {
          names = await readdir(path.join(work, r.dir))
        } catch {
          continue
        }
        // The muxer renames a segment into place only once it is complete.
        const numbers = names.map((n) => Number(SEGMENT_RE.exec(n)?.[1] ?? 0)).filter((n) => n > 0).sort((a, b) => a - b)
        const have = seen.get(r.id) ?? 0
        for (const n of numbers.filter((k) => k > have)) {
          seen.set(r.id, n)
          segmentsReady++
          segmentsTotal = Math.max(segmentsTotal, segmentsReady)
          notify(opts.onSegment, { representationId: r.id, rendition: r.name, kind: r.kind, number: n, path: segmentPath(r.id, n), segmentsReady, segmentsTotal })
        }
      }
      if (firstPlayableMs === null && plan.renditions.every((r) => (seen.get(r.id) ?? 0) > 0)) {
        const listed = await Promise.all(
          [HLS_MASTER, ...plan.renditions.map((r) => r.playlist)].map((f) =>
            readFile(path.join(work, f), 'utf8').then(
              (t) => f === HLS_MASTER || parseHlsMediaPlaylist(t).segments.length > 0,
              () => false,
            ),
          ),
        )
        if (listed.every(Boolean)) {
          firstPlayableMs = Math.round(elapsed())
          notify(opts.onPlayable, { partialDir: work, elapsedMs: firstPlayableMs })
        }
      }
    } finally {
      polling = false
    }
  }
  const pollTimer = setInterval(() => void poll().catch((err) => plog.warn({ err }, 'segment poll failed')), pollMs)

  let result: Awaited<typeof run.done>
  try {
    result = await run.done
  } catch (err) {
    clearInterval(hangTimer)
    clearInterval(pollTimer)
    await rm(work, { recursive: true, force: true })
    throw err
  }
  clearInterval(hangTimer)
  clearInterval(pollTimer)
  while (polling) await new Promise((r) => setTimeout(r, 10))

  const wallMs = Math.round(result.wallMs)
  const status = result.killedBy ? `killed (${result.killedBy})` : `exit ${result.code ?? result.signal}`
  const logPath = await writeLog(outDir, args, `# ${status} after ${wallMs} ms\n${result.stderrTail}`).catch(() => path.join(outDir, FFMPEG_LOG))
  const fail = async (kind: PipelineError['kind'], message: string): Promise<never> => {
    await rm(work, { recursive: true, force: true })
    plog.debug({ outDir, kind, wallMs }, message)
    throw new PipelineError(kind, message, lastLines(result.stderrTail, 20))
  }

  if (result.killedBy === 'abort') return fail('cancelled', 'transcode cancelled')
  if (result.killedBy === 'hung') return fail('hung', `ffmpeg made no progress for ${Math.round(hangMs / 1000)} s`)
  if (result.code !== 0) {
    const systemic = /No space left on device|Disk quota exceeded/i.test(result.stderrTail)
    return fail(systemic ? 'unavailable' : 'ffmpeg', `ffmpeg ${status}: ${lastLines(result.stderrTail, 2) || 'no output'}`)
  }

  // The demuxer reached the end of the file before the data its index promises: an incomplete upload.
  // FFmpeg still exits 0 with a shorter video, so this is the only reliable signal.
  if (/partial file/.test(result.stderrTail)) {
    await rm(work, { recursive: true, force: true })
    throw new MediaRejected('truncated', 'The file is incomplete: it ends before the media its index describes (interrupted upload?).')
  }

  await poll()
  try {
    await promotePartial(outDir)
  } catch (err) {
    return fail(isSystemicErrno(err) ? 'unavailable' : 'ffmpeg', `cannot move outputs into place: ${(err as Error).message}`)
  }
  segmentsTotal = segmentsReady
  emitProgress(true)
  const speed = wallMs > 0 ? probe.durationMs / wallMs : 0
  plog.debug({ outDir, wallMs, speed, segments: segmentsReady, firstPlayableMs }, 'transcode complete')
  return { plan, segments: segmentsReady, wallMs, speed, firstPlayableMs, logPath }
}
