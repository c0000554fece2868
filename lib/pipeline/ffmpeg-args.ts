/**
 * FFmpeg command lines, built as pure functions so tests can assert them from probe fixtures.
 * Packaging is FFmpeg's own DASH muxer writing both manifests (docs/decisions/packager.md).
 *
 * Hardening (the input is an untrusted upload): the demuxer is forced from our own sniff (`-f`, never
 * guessed, so an upload cannot become an HLS/concat/image2 input), `-format_whitelist` repeats the
 * allowlist, `-protocol_whitelist file` and a `file:` URL keep FFmpeg on the local file, MOV external
 * data references stay disabled (`-enable_drefs 0`), only the first video stream and the planned audio
 * streams are mapped, and metadata/chapters are dropped (no GPS or device tags leak into the outputs); the
 * one tag written back is each audio stream's normalised language, which the DASH muxer turns into `lang`.
 */
import path from 'node:path'
import type { StreamingConfig } from '@/lib/config/streaming'
import { type ColorFacts, colorChain, outputColorArgs } from './color'
import type { LadderPlan } from './ladder'
import { DASH_MANIFEST, HLS_MASTER, INIT_TEMPLATE, SEGMENT_TEMPLATE } from '@/lib/content/layout'
import type { ProbeFacts } from './probe'
import { forceKeyFramesExpr, minSegmentDuration } from './segments'
import { ALLOWED_DEMUXERS, type Demuxer } from '@/lib/content/sniff'

/** Input options for an untrusted file; `seekS` adds fast input seeking. */
export function safeInputArgs(file: string, demuxer: Demuxer, opts: { seekS?: number } = {}): string[] {
  const abs = path.resolve(file)
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    ALLOWED_DEMUXERS.join(','),
    '-f',
    demuxer,
    ...(demuxer === 'mov' ? ['-enable_drefs', '0'] : []),
    ...(opts.seekS !== undefined ? ['-ss', opts.seekS.toFixed(3)] : []),
    '-i',
    `file:${abs}`,
  ]
}

/** Representation ids as the DASH muxer assigns them: output stream order (video rungs, then audio tracks). */
export function representationIds(plan: Pick<LadderPlan, 'rungs' | 'audioTracks'>): { video: number[]; audio: number[] } {
  const video = plan.rungs.map((_, i) => i)
  return { video, audio: plan.audioTracks.map((_, i) => video.length + i) }
}

/**
 * Pure: one decode, optional resample, tone mapping / gamut conversion when the source needs it (once, at
 * full size), then split → scale per rung (yuv420p for every player).
 */
export function buildFilterGraph(plan: Pick<LadderPlan, 'rungs' | 'fps' | 'resample'>, color?: ColorFacts): string {
  const chain = colorChain(color)
  // Tone mapping works in 32-bit float per pixel: run it at the top rung's size, not the source's (a 4K
  // source costs a quarter); the top rung's own scale is then a no-op.
  const top = plan.rungs[0]
  const toSdr = chain ? `scale=${top.width}:${top.height},${chain},` : ''
  const pre = (plan.resample ? `fps=${plan.fps},` : '') + toSdr
  const n = plan.rungs.length
  const scale = (i: number) => `scale=${plan.rungs[i].width}:${plan.rungs[i].height},format=yuv420p[v${i}]`
  if (n === 1) return `[0:v:0]${pre}${scale(0)}`
  const split = `[0:v:0]${pre}split=${n}${plan.rungs.map((_, i) => `[s${i}]`).join('')}`
  return [split, ...plan.rungs.map((_, i) => `[s${i}]${scale(i)}`)].join(';')
}

function fpsValue(fps: string): number {
  const [n, d] = fps.split('/').map(Number)
  return d ? n / d : n
}

export interface TranscodeArgsInput {
  inputPath: string
  /** Directory that receives manifest.mpd, playlists and streams/ (the work directory). */
  outDir: string
  facts: Pick<ProbeFacts, 'container' | 'color'>
  plan: LadderPlan
  config: Pick<StreamingConfig, 'segmentDuration' | 'startupSegments' | 'audio' | 'encoder'>
}

/** Pure: the single FFmpeg command that encodes the whole ladder and packages it (args after `ffmpeg`). */
export function buildTranscodeArgs({ inputPath, outDir, facts, plan, config }: TranscodeArgsInput): string[] {
  const schedule = { segmentDuration: config.segmentDuration, startupSegments: config.startupSegments }
  const S = config.segmentDuration
  // Large enough that x264 never adds a keyframe of its own between two forced ones.
  const gop = Math.ceil(fpsValue(plan.fps) * S) * 2
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'level+warning',
    '-progress',
    'pipe:1',
    '-y',
    ...safeInputArgs(inputPath, facts.container),
    '-filter_complex',
    buildFilterGraph(plan, facts.color),
  ]
  for (let i = 0; i < plan.rungs.length; i++) args.push('-map', `[v${i}]`)
  for (const track of plan.audioTracks) args.push('-map', track.input)
  args.push('-map_metadata', '-1', '-map_chapters', '-1')
  plan.audioTracks.forEach((t, i) => {
    if (t.language !== 'und') args.push(`-metadata:s:a:${i}`, `language=${t.language}`)
  })
  args.push(
    '-c:v',
    'libx264',
    '-preset',
    config.encoder.preset,
    '-profile:v',
    'main',
    ...outputColorArgs(facts.color),
    ...(config.encoder.threads > 0 ? ['-threads', String(config.encoder.threads)] : []),
    '-g',
    String(gop),
    '-sc_threshold',
    '0',
    '-force_key_frames',
    forceKeyFramesExpr(schedule),
  )
  plan.rungs.forEach((r, i) => {
    // Capped CRF: `quality` decides, `bitrate` caps; -b:v is what the muxer advertises as bandwidth.
    args.push(`-crf:v:${i}`, String(r.quality), `-b:v:${i}`, `${r.bitrate}k`, `-maxrate:v:${i}`, `${r.bitrate}k`, `-bufsize:v:${i}`, `${r.bitrate * 2}k`)
  })
  if (plan.audioTracks.length) {
    args.push('-c:a', 'aac', '-b:a', `${config.audio.bitrate}k`, '-ac', String(config.audio.channels), '-ar', String(config.audio.sampleRate))
  }
  // Video may be cut at the short start-up boundaries; audio is cut together with video keyframes. One
  // adaptation set per audio track: each is a language of its own, not a bitrate to switch to.
  const sets = [`id=0,seg_duration=${minSegmentDuration(schedule)},streams=v`]
  representationIds(plan).audio.forEach((stream, i) => {
    sets.push(`id=${i + 1},seg_duration=${S},streams=${stream}`)
  })
  args.push(
    '-max_muxing_queue_size',
    '1024',
    '-f',
    'dash',
    '-dash_segment_type',
    'mp4',
    '-seg_duration',
    String(S),
    '-use_template',
    '1',
    '-use_timeline',
    '1',
    '-adaptation_sets',
    sets.join(' '),
    '-init_seg_name',
    INIT_TEMPLATE,
    '-media_seg_name',
    SEGMENT_TEMPLATE,
    '-hls_playlist',
    '1',
    '-hls_master_name',
    HLS_MASTER,
    path.join(outDir, DASH_MANIFEST),
  )
  return args
}
