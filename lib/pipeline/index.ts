import { type StreamingConfig, streamingConfig } from '@/lib/config/streaming'
import { DASH_MANIFEST, HLS_MASTER } from '@/lib/content/layout'
import { type Playable, type SegmentReady, type TranscodeProgress, runTranscode } from './encode'
import { makePreviews, type Previews } from './previews'
import type { PauseSignal } from './process'
import { type ProbeFacts, probeMedia } from './probe'
import { type RenditionSummary, validateOutput } from './validate'

export type { Profile, StreamingConfig } from '@/lib/config/streaming'
export { ConfigError, loadStreamingConfig, parseStreamingConfig } from '@/lib/config/streaming'
export type { PlannedRendition, Playable, SegmentReady, TranscodePlan, TranscodeProgress, TranscodeResult } from './encode'
export { planTranscode, runTranscode } from './encode'
export type { PipelineFailure, RejectReason } from './errors'
export { MediaRejected, PipelineError } from './errors'
export { isPipelineOutput, partialDir, promotePartial, removePipelineOutputs, thumbsPartialDir } from './outputs'
export type { Previews } from './previews'
export { makePreviews } from './previews'
export type { PauseSignal } from './process'
export type { ProbeFacts } from './probe'
export { probeMedia } from './probe'
export type { RenditionSummary } from './validate'
export { validateOutput } from './validate'

export type Stage = 'probe' | 'encode' | 'previews' | 'validate'

export interface ProcessOptions {
  /** The upload (untrusted). */
  inputPath: string
  /** Content directory (data/content/<hash>); the upload may live in it. */
  outDir: string
  config?: StreamingConfig
  /** Facts from an earlier probe (e.g. at upload); probed again when absent. */
  probe?: ProbeFacts
  signal?: AbortSignal
  /** Pauses the encode's FFmpeg (the priority lane); probe, previews and validation are short and run on. */
  pause?: PauseSignal
  onStage?: (stage: Stage) => void
  /** The facts are known (before the encode starts); awaited, so they can be recorded first. */
  onProbed?: (facts: ProbeFacts) => Promise<void> | void
  onProgress?: (p: TranscodeProgress) => void
  onSegment?: (s: SegmentReady) => void
  onPlayable?: (p: Playable) => void
  hangTimeoutMs?: number
  /** Retry mode: drop the top rung. */
  fallback?: boolean
}

export interface ProcessResult {
  facts: ProbeFacts
  renditions: RenditionSummary[]
  manifests: { dash: typeof DASH_MANIFEST; hls: typeof HLS_MASTER }
  previews: Previews
  encode: { wallMs: number; speed: number; firstPlayableMs: number | null; segments: number; logPath: string }
}

/**
 * The whole pipeline for one upload: probe → encode + package → previews → validate. Throws
 * MediaRejected (bad input, do not retry) or PipelineError (see `kind`, `retryable`, `systemic`).
 * When it returns, outDir holds complete, checked outputs and the content may be marked STORED.
 */
export async function processContent(opts: ProcessOptions): Promise<ProcessResult> {
  const config = opts.config ?? streamingConfig()
  opts.onStage?.('probe')
  const facts = opts.probe ?? (await probeMedia(opts.inputPath, { limits: config.limits, signal: opts.signal }))
  await opts.onProbed?.(facts)

  opts.onStage?.('encode')
  const encoded = await runTranscode({
    inputPath: opts.inputPath,
    outDir: opts.outDir,
    probe: facts,
    config,
    signal: opts.signal,
    pause: opts.pause,
    onProgress: opts.onProgress,
    onSegment: opts.onSegment,
    onPlayable: opts.onPlayable,
    hangTimeoutMs: opts.hangTimeoutMs,
    fallback: opts.fallback,
  })

  opts.onStage?.('previews')
  const videos = encoded.plan.renditions.filter((r) => r.kind === 'video')
  const previews = await makePreviews({
    inputPath: opts.inputPath,
    outDir: opts.outDir,
    probe: facts,
    storyboardPlaylist: videos[videos.length - 1].playlist,
    segmentDuration: config.segmentDuration,
    signal: opts.signal,
  })

  opts.onStage?.('validate')
  const renditions = await validateOutput({
    outDir: opts.outDir,
    probe: facts,
    segmentDuration: config.segmentDuration,
    names: new Map(encoded.plan.renditions.map((r) => [r.id, r.name])),
    signal: opts.signal,
  })

  return {
    facts,
    renditions,
    manifests: { dash: DASH_MANIFEST, hls: HLS_MASTER },
    previews,
    encode: {
      wallMs: encoded.wallMs,
      speed: encoded.speed,
      firstPlayableMs: encoded.firstPlayableMs,
      segments: encoded.segments,
      logPath: encoded.logPath,
    },
  }
}
