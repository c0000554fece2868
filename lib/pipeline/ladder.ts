import type { Profile, StreamingConfig } from '@/lib/config/streaming'
import { audioTracksOf, manifestDefaultIndex } from '@/lib/content/audio-tracks'
import type { ProbeFacts } from './probe'

// A profile's `height` is the short side of the picture, so a portrait phone video (1080×1920) gets
// the same rungs as its landscape twin, just standing up. Rungs above the source are skipped and the
// long side follows the source aspect ratio, rounded to an even number (4:2:0 needs even sizes).

export interface Rung {
  name: string
  width: number
  height: number
  /** kbit/s cap and advertised bandwidth. */
  bitrate: number
  /** x264 CRF under the cap. */
  quality: number
}

/** One source audio stream encoded as its own AAC rendition. */
export interface AudioRung {
  /** FFmpeg stream specifier of the source stream (`0:a:1`). */
  input: string
  /** Rendition name: `audio` when there is one track, else `audio-<language>` (unique). */
  name: string
  /** BCP 47, `und` when unknown. */
  language: string
  /** HLS NAME and the player's menu entry. */
  label: string
  /** The one track the manifests mark as default. */
  isDefault: boolean
}

export interface LadderPlan {
  /** Highest first; never empty. */
  rungs: Rung[]
  /** Source order, at most `audio.max_tracks`; empty for a silent source. */
  audioTracks: AudioRung[]
  /** Output frame rate as FFmpeg reads it ("30", "30000/1001"). */
  fps: string
  /** True when the source is variable-rate or faster than max_fps and is resampled to `fps`. */
  resample: boolean
}

export interface LadderOptions {
  /** Retry after a failure: drop the top rung (when there is more than one). */
  fallback?: boolean
}

export function even(x: number): number {
  return Math.max(2, Math.round(x / 2) * 2)
}

function evenFloor(x: number): number {
  return Math.max(2, Math.floor(x / 2) * 2)
}

function orient(facts: Pick<ProbeFacts, 'width' | 'height'>, short: number, long: number) {
  return facts.width >= facts.height ? { width: long, height: short } : { width: short, height: long }
}

/** Pure: the rungs to encode for a source. */
export function planRungs(facts: Pick<ProbeFacts, 'width' | 'height'>, profiles: readonly Profile[], opts: LadderOptions & { abr?: boolean } = {}): Rung[] {
  const srcShort = Math.min(facts.width, facts.height)
  const srcLong = Math.max(facts.width, facts.height)
  const sorted = [...profiles].sort((a, b) => b.height - a.height)
  let rungs: Rung[] = sorted
    .filter((p) => p.height <= srcShort)
    .map((p) => ({ name: p.name, ...orient(facts, p.height, even((srcLong * p.height) / srcShort)), bitrate: p.bitrate, quality: p.quality }))

  if (rungs.length === 0) {
    // Smaller than every profile: one rung at the source size, with the smallest profile's bitrate
    // scaled down by area so a 240p clip does not get a 360p budget.
    const p = sorted[sorted.length - 1]
    const short = evenFloor(srcShort)
    const long = even((srcLong * short) / srcShort)
    const area = Math.min(1, (short * long) / (p.width * p.height))
    rungs = [{ name: `${short}p`, ...orient(facts, short, long), bitrate: Math.max(100, Math.round(p.bitrate * area)), quality: p.quality }]
  }
  if (opts.abr === false) rungs = rungs.slice(0, 1)
  if (opts.fallback && rungs.length > 1) rungs = rungs.slice(1)
  return rungs
}

const STANDARD_RATES: [number, string][] = [
  [24000 / 1001, '24000/1001'],
  [24, '24'],
  [25, '25'],
  [30000 / 1001, '30000/1001'],
  [30, '30'],
  [50, '50'],
  [60000 / 1001, '60000/1001'],
  [60, '60'],
]

/** Pure: nearest standard rate within 3 %, else the rate rounded to an integer. */
export function snapFps(fps: number): string {
  let best: [number, string] | undefined
  for (const r of STANDARD_RATES) if (!best || Math.abs(r[0] - fps) < Math.abs(best[0] - fps)) best = r
  if (best && Math.abs(best[0] - fps) / best[0] <= 0.03) return best[1]
  return String(Math.max(1, Math.round(fps)))
}

/** Pure: everything the argument builder needs to know about the outputs. */
/** Pure: the source audio streams to encode, with the language, label and default the manifests carry. */
export function planAudio(facts: Pick<ProbeFacts, 'audioStreams'>, maxTracks: number): AudioRung[] {
  const streams = facts.audioStreams.slice(0, maxTracks)
  const tracks = audioTracksOf(streams, maxTracks)
  const preferred = manifestDefaultIndex(tracks)
  const names = new Set<string>()
  return tracks.map((t, i) => {
    const base = tracks.length === 1 ? 'audio' : `audio-${t.language}`
    let name = base
    for (let n = 2; names.has(name); n++) name = `${base}-${n}`
    names.add(name)
    return { input: `0:a:${streams[i].audioIndex}`, name, language: t.language, label: t.label, isDefault: i === preferred }
  })
}

export function planLadder(
  facts: ProbeFacts,
  config: Pick<StreamingConfig, 'profiles' | 'enableAbr' | 'encoder'> & { audio: Pick<StreamingConfig['audio'], 'maxTracks'> },
  opts: LadderOptions = {},
): LadderPlan {
  const rungs = planRungs(facts, config.profiles, { ...opts, abr: config.enableAbr })
  const maxFps = config.encoder.maxFps
  const unknownRate = !(facts.fps > 0)
  const resample = facts.vfr || unknownRate || facts.fps > maxFps + 0.01
  const fps = resample ? snapFps(unknownRate ? 30 : Math.min(facts.fps, maxFps)) : rationalFps(facts.fps)
  return { rungs, audioTracks: planAudio(facts, config.audio.maxTracks), fps, resample }
}

function rationalFps(fps: number): string {
  for (const [value, text] of STANDARD_RATES) if (Math.abs(value - fps) < 0.001) return text
  return String(fps)
}
