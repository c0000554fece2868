import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { StreamingConfig } from '@/lib/config/streaming'
import { type AudioStreamFacts, normaliseLanguage, usableTitle } from '@/lib/content/audio-tracks'
import { type ColorFacts, colorFactsOf } from './color'
import { MediaRejected, PipelineError } from './errors'
import { safeInputArgs } from './ffmpeg-args'
import { findExternalReferences } from './mov-refs'
import { runTool, TOOLS } from './process'
import { type Demuxer, SNIFF_BYTES, sniffContainer } from '@/lib/content/sniff'

/** What the pipeline knows about a source after probing; stored on Content.probe. */
export interface ProbeFacts {
  /** Demuxer the file is read with (always forced, never guessed). */
  container: Demuxer
  durationMs: number
  /** Display size: after rotation and sample aspect ratio. */
  width: number
  height: number
  codedWidth: number
  codedHeight: number
  rotation: 0 | 90 | 180 | 270
  /** Average frames per second. */
  fps: number
  /** Frame timing varies (phone recordings); the encoder resamples to `fps`. */
  vfr: boolean
  videoCodec: string
  /** ffprobe's profile and level of the video stream (e.g. 'High', 31): they make up the browser codec string. */
  videoProfile?: string
  videoLevel?: number
  pixFmt: string
  /** Transfer, primaries, matrix, range and bit depth: decides tone mapping (see color.ts). */
  color: ColorFacts
  hasAudio: boolean
  /** Every decodable audio stream in source order (the first is the one the fields below describe). */
  audioStreams: SourceAudioStream[]
  audioCodec: string | null
  /** e.g. 'LC', 'HE-AAC'. */
  audioProfile?: string
  audioChannels: number
  audioSampleRate: number
  /** Bits per second of the whole file. */
  bitrate: number
  sizeBytes: number
  streams: number
}

/** An audio stream as the encoder maps it: `audioIndex` is its place among the source's audio streams (`0:a:N`). */
export interface SourceAudioStream extends AudioStreamFacts {
  audioIndex: number
}

export type ProbeLimits = StreamingConfig['limits']

const rational = z.string().optional()
const ffprobeSchema = z.object({
  format: z
    .object({
      format_name: z.string().optional(),
      duration: z.string().optional(),
      bit_rate: z.string().optional(),
      nb_streams: z.number().optional(),
    })
    .loose()
    .optional(),
  streams: z
    .array(
      z
        .object({
          index: z.number(),
          codec_type: z.string().optional(),
          codec_name: z.string().optional(),
          width: z.number().optional(),
          height: z.number().optional(),
          coded_width: z.number().optional(),
          coded_height: z.number().optional(),
          sample_aspect_ratio: z.string().optional(),
          r_frame_rate: rational,
          avg_frame_rate: rational,
          pix_fmt: z.string().optional(),
          profile: z.string().optional(),
          level: z.number().optional(),
          color_transfer: z.string().optional(),
          color_primaries: z.string().optional(),
          color_space: z.string().optional(),
          color_range: z.string().optional(),
          duration: z.string().optional(),
          channels: z.number().optional(),
          sample_rate: z.string().optional(),
          disposition: z.object({ attached_pic: z.number().optional(), default: z.number().optional() }).loose().optional(),
          tags: z.record(z.string(), z.string()).optional(),
          side_data_list: z.array(z.object({ side_data_type: z.string().optional(), rotation: z.number().optional() }).loose()).optional(),
        })
        .loose(),
    )
    .default([]),
})
export type FfprobeOutput = z.infer<typeof ffprobeSchema>

function ratio(value: string | undefined): number {
  if (!value) return 0
  const [n, d] = value.split(/[/:]/).map(Number)
  if (!Number.isFinite(n) || !Number.isFinite(d ?? 1) || d === 0) return 0
  return d === undefined ? n : n / d
}

function normaliseRotation(deg: number): 0 | 90 | 180 | 270 {
  return ((((Math.round(deg / 90) * 90) % 360) + 360) % 360) as 0 | 90 | 180 | 270
}

/** Pure: turns ffprobe JSON into facts. Throws MediaRejected when there is nothing to encode. */
export function factsFromFfprobe(raw: unknown, container: Demuxer, sizeBytes: number): ProbeFacts {
  const parsed = ffprobeSchema.safeParse(raw)
  if (!parsed.success) throw new MediaRejected('unreadable', 'The file could not be analysed.')
  const { format, streams } = parsed.data
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic && (s.width ?? 0) > 0)
  if (!video) throw new MediaRejected('no_video', 'The file has no video stream.')
  // A stream FFmpeg cannot name or that has no channels would fail the whole encode once mapped.
  const audios = streams
    .filter((s) => s.codec_type === 'audio')
    .map((s, audioIndex) => ({ ...s, audioIndex }))
    .filter((s) => !!s.codec_name && s.codec_name !== 'none' && (s.channels ?? 0) > 0)
  const audio = audios[0]

  const durationS = ratio(format?.duration) || ratio(video.duration)
  if (!(durationS > 0)) throw new MediaRejected('bad_duration', 'The video has no usable duration (truncated or a live stream?).')

  const sideRotation = video.side_data_list?.find((d) => d.side_data_type === 'Display Matrix')?.rotation
  const rotation = normaliseRotation(sideRotation ?? Number(video.tags?.rotate ?? 0))
  const sar = ratio(video.sample_aspect_ratio) || 1
  const codedW = video.width ?? 0
  const codedH = video.height ?? 0
  // Display size before rotation: anamorphic pixels widen the picture.
  const dispW = Math.round(codedW * (sar > 0 ? sar : 1))
  const swap = rotation === 90 || rotation === 270

  const avg = ratio(video.avg_frame_rate)
  const real = ratio(video.r_frame_rate)
  const fps = avg > 0 ? avg : real
  // Constant-rate files agree to the last digit; dropped or irregular frames pull the average away.
  const vfr = avg > 0 && real > 0 && Math.abs(real - avg) / avg > 0.005

  return {
    container,
    durationMs: Math.round(durationS * 1000),
    width: swap ? codedH : dispW,
    height: swap ? dispW : codedH,
    codedWidth: codedW,
    codedHeight: codedH,
    rotation,
    fps: Math.round(fps * 1000) / 1000,
    vfr,
    videoCodec: video.codec_name ?? 'unknown',
    videoProfile: video.profile,
    videoLevel: video.level !== undefined && video.level >= 0 ? video.level : undefined,
    pixFmt: video.pix_fmt ?? 'unknown',
    color: colorFactsOf(video),
    hasAudio: Boolean(audio),
    audioStreams: audios.map((s) => {
      const title = usableTitle(s.tags?.title)
      return { audioIndex: s.audioIndex, language: normaliseLanguage(s.tags?.language), ...(title ? { title } : {}), default: s.disposition?.default === 1 }
    }),
    audioCodec: audio?.codec_name ?? null,
    audioProfile: audio?.profile,
    audioChannels: audio?.channels ?? 0,
    audioSampleRate: audio ? Number(audio.sample_rate ?? 0) : 0,
    bitrate: Number(format?.bit_rate ?? 0) || Math.round((sizeBytes * 8) / durationS),
    sizeBytes,
    streams: format?.nb_streams ?? streams.length,
  }
}

/** Pure: the configured bounds. Dimensions are checked in either orientation (portrait 4320×7680 is fine). */
export function checkLimits(facts: ProbeFacts, limits: ProbeLimits): void {
  if (facts.streams > limits.maxStreams)
    throw new MediaRejected('too_many_streams', `The file has ${facts.streams} streams; at most ${limits.maxStreams} are accepted.`)
  const long = Math.max(facts.width, facts.height)
  const short = Math.min(facts.width, facts.height)
  if (long > Math.max(limits.maxWidth, limits.maxHeight) || short > Math.min(limits.maxWidth, limits.maxHeight))
    throw new MediaRejected('too_large', `The video is ${facts.width}×${facts.height}; the largest accepted is ${limits.maxWidth}×${limits.maxHeight}.`)
  if (short < 16) throw new MediaRejected('bad_dimensions', `The video is ${facts.width}×${facts.height}, too small to encode.`)
  if (facts.durationMs > limits.maxDurationS * 1000)
    throw new MediaRejected('too_long', `The video lasts ${Math.round(facts.durationMs / 1000)} s; at most ${limits.maxDurationS} s are accepted.`)
}

/** Pure: ffprobe arguments; the input is opened like the encoder opens it (forced demuxer, files only). */
export function buildProbeArgs(file: string, demuxer: Demuxer): string[] {
  return ['-hide_banner', '-v', 'error', ...safeInputArgs(file, demuxer), '-show_format', '-show_streams', '-of', 'json']
}

export interface ProbeOptions {
  limits: ProbeLimits
  signal?: AbortSignal
  timeoutMs?: number
}

/**
 * Safe probe of an untrusted upload: sniff the container from its bytes, refuse anything that can name
 * other files, run ffprobe with that demuxer forced and only the file protocol, then apply the limits.
 */
export async function probeMedia(file: string, opts: ProbeOptions): Promise<ProbeFacts> {
  const abs = path.resolve(file)
  const { size } = await stat(abs)
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, size))
  if (size > 0) {
    const fh = await open(abs, 'r')
    try {
      await fh.read(head, 0, head.length, 0)
    } finally {
      await fh.close()
    }
  }
  const sniffed = sniffContainer(head)
  if (!sniffed.ok) throw new MediaRejected(sniffed.reason, sniffed.message)

  if (sniffed.demuxer === 'mov') {
    const refs = await findExternalReferences(abs)
    if (refs.length) throw new MediaRejected('references_other_files', `The file refers to media in other files (${refs[0]}).`)
  }

  const res = await runTool(TOOLS.ffprobe, buildProbeArgs(abs, sniffed.demuxer), {
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 30_000,
    captureStdout: true,
    maxStdoutBytes: 2 * 1024 * 1024,
  })
  if (res.killedBy === 'abort') throw new PipelineError('cancelled', 'probe cancelled')
  if (res.killedBy) throw new MediaRejected('unreadable', `The file could not be analysed (${res.killedBy}).`)
  if (res.code !== 0) {
    // ffprobe names the path; the user only needs the reason.
    const reason = res.stderrTail.trim().split('\n').pop()?.replaceAll(`file:${abs}`, 'input').replaceAll(abs, 'input') ?? ''
    throw new MediaRejected('unreadable', `The file could not be read as ${sniffed.demuxer}: ${reason || 'unknown error'}.`)
  }
  let json: unknown
  try {
    json = JSON.parse(res.stdout)
  } catch {
    throw new MediaRejected('unreadable', 'The file could not be analysed.')
  }
  const facts = factsFromFfprobe(json, sniffed.demuxer, size)
  checkLimits(facts, opts.limits)
  return facts
}
