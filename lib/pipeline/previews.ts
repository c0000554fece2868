import { createReadStream } from 'node:fs'
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { colorChain } from './color'
import { PipelineError } from './errors'
import { safeInputArgs } from './ffmpeg-args'
import { even } from './ladder'
import { POSTER, posterSize, STORYBOARD_IMAGE, STORYBOARD_VTT, THUMBNAIL_COUNT, THUMBS_DIR, thumbnailPath } from '@/lib/content/layout'
import { parseHlsMediaPlaylist } from './manifests'
import { thumbsPartialDir } from './outputs'
import type { ProbeFacts } from './probe'
import { lastLines, runTool, TOOLS } from './process'

export interface StoryboardPlan {
  /** Seconds between tiles. */
  interval: number
  tiles: number
  columns: number
  rows: number
  tileWidth: number
  tileHeight: number
}

/** Pure: at most columns×rows tiles, whole seconds apart (at least 1 s), covering the whole duration. */
export function planStoryboard(
  durationMs: number,
  size: { width: number; height: number },
  opts: { tileWidth?: number; columns?: number; rows?: number } = {},
): StoryboardPlan {
  const tileWidth = opts.tileWidth ?? 160
  const maxTiles = (opts.columns ?? 10) * (opts.rows ?? 10)
  const durationS = Math.max(durationMs / 1000, 0.001)
  const interval = Math.max(1, Math.ceil(durationS / maxTiles))
  const tiles = Math.max(1, Math.min(maxTiles, Math.ceil(durationS / interval)))
  const columns = Math.min(opts.columns ?? 10, tiles)
  return { interval, tiles, columns, rows: Math.ceil(tiles / columns), tileWidth, tileHeight: even((tileWidth * size.height) / size.width) }
}

function vttTime(s: number): string {
  const ms = Math.round(s * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const sec = Math.floor((ms % 60_000) / 1000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(h)}:${pad(m)}:${pad(sec)}.${pad(ms % 1000, 3)}`
}

/** Pure: WebVTT with one cue per tile pointing into the sprite (`#xywh=x,y,w,h`), for seek previews. */
export function buildStoryboardVtt(plan: StoryboardPlan, durationMs: number, image = 'storyboard.jpg'): string {
  const end = durationMs / 1000
  const cues = ['WEBVTT', '']
  for (let i = 0; i < plan.tiles; i++) {
    const from = i * plan.interval
    if (i > 0 && from >= end) break
    const to = i === plan.tiles - 1 ? Math.max(end, from + 0.001) : Math.min(end, from + plan.interval)
    const x = (i % plan.columns) * plan.tileWidth
    const y = Math.floor(i / plan.columns) * plan.tileHeight
    cues.push(`${vttTime(from)} --> ${vttTime(to)}`, `${image}#xywh=${x},${y},${plan.tileWidth},${plan.tileHeight}`, '')
  }
  return cues.join('\n')
}

/** Pure: poster time (10 % in, at most 10 s, skipping black intros) and evenly spread thumbnail times. */
export function previewTimes(durationMs: number, count: number): { poster: number; thumbnails: number[] } {
  const d = durationMs / 1000
  const last = Math.max(0, d - 0.1)
  return {
    poster: Math.min(last, Math.min(10, d * 0.1)),
    thumbnails: Array.from({ length: count }, (_, i) => Math.min(last, ((i + 0.5) * d) / count)),
  }
}

export interface PreviewOptions {
  inputPath: string
  outDir: string
  probe: ProbeFacts
  /**
   * HLS media playlist (relative to outDir) of the smallest video rung: the storyboard decodes only its
   * keyframes (forced on every segment boundary), which keeps long videos cheap. Absent: the source.
   */
  storyboardPlaylist?: string
  /** Keyframe spacing of that rung; below it the storyboard decodes every frame. */
  segmentDuration?: number
  thumbnails?: number
  signal?: AbortSignal
}

export interface Previews {
  poster: string
  thumbnails: string[]
  storyboard: { image: string; vtt: string } & StoryboardPlan
}

async function ffmpeg(args: string[], signal: AbortSignal | undefined, input?: () => AsyncIterable<Buffer>): Promise<void> {
  const res = await runTool(TOOLS.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    signal,
    input,
    timeoutMs: 15 * 60_000,
  })
  if (res.killedBy === 'abort') throw new PipelineError('cancelled', 'previews cancelled')
  if (res.code !== 0 || res.killedBy) throw new PipelineError('ffmpeg', `preview ffmpeg failed: ${lastLines(res.stderrTail) || res.killedBy}`, res.stderrTail)
}

const exists = (f: string) =>
  access(f).then(
    () => true,
    () => false,
  )

async function* concatFiles(files: string[]): AsyncIterable<Buffer> {
  for (const f of files) for await (const chunk of createReadStream(f)) yield chunk as Buffer
}

/** Pure: the poster's time and size: display size capped at 720 on the short side. */
export function posterShot(probe: Pick<ProbeFacts, 'width' | 'height'>, t: number): { t: number; w: number; h: number } {
  const size = posterSize(probe.width, probe.height)
  return { t, w: size.width, h: size.height }
}

// Stills taken from the source get the ladder's tone mapping, so HDR posters are not grey either.
const fromSourceFilter = (probe: Pick<ProbeFacts, 'color'>, vf: string) => {
  const toSdr = colorChain(probe.color)
  return toSdr ? `${toSdr},${vf}` : vf
}

/** Pure: one FFmpeg run taking a JPEG still at each shot's time (seeking each input), scaled to w×h. */
export function stillArgs(
  inputPath: string,
  probe: Pick<ProbeFacts, 'container' | 'color'>,
  shots: { t: number; w: number; h: number; out: string }[],
): string[] {
  const args: string[] = []
  for (const s of shots) args.push(...safeInputArgs(inputPath, probe.container, { seekS: s.t }))
  shots.forEach((s, i) => {
    args.push('-map', `${i}:v:0`, '-frames:v', '1', '-vf', fromSourceFilter(probe, `scale=${s.w}:${s.h}`), '-q:v', '3', '-f', 'image2', '-update', '1', s.out)
  })
  return args
}

export const runStills = (inputPath: string, probe: ProbeFacts, shots: { t: number; w: number; h: number; out: string }[], signal?: AbortSignal) =>
  ffmpeg(stillArgs(inputPath, probe, shots), signal)

/** Writes poster, thumbnails, storyboard sprite and its WebVTT under thumbs/ (replaced atomically). */
export async function makePreviews(opts: PreviewOptions): Promise<Previews> {
  const { probe, outDir } = opts
  const count = opts.thumbnails ?? THUMBNAIL_COUNT
  const work = thumbsPartialDir(outDir)
  await rm(work, { recursive: true, force: true })
  await mkdir(work, { recursive: true })
  const out = (rel: string) => path.join(work, path.basename(rel))
  try {
    const times = previewTimes(probe.durationMs, count)
    const thumbH = even((320 * probe.height) / probe.width)
    const shots = [
      { ...posterShot(probe, times.poster), file: POSTER },
      ...times.thumbnails.map((t, i) => ({ t, file: thumbnailPath(i + 1), w: 320, h: thumbH })),
    ]
    const grab = (list: typeof shots) =>
      runStills(
        opts.inputPath,
        probe,
        list.map((s) => ({ ...s, out: out(s.file) })),
        opts.signal,
      )
    await grab(shots)
    // A seek past the last decodable frame yields no image (and no error); those take the first frame.
    const missing = []
    for (const s of shots) if (!(await exists(out(s.file)))) missing.push({ ...s, t: 0 })
    if (missing.length) await grab(missing)

    const plan = planStoryboard(probe.durationMs, probe)
    const grid = `fps=1/${plan.interval},scale=${plan.tileWidth}:${plan.tileHeight},tile=${plan.columns}x${plan.rows}`
    const sbOut = ['-frames:v', '1', '-q:v', '5', '-f', 'image2', '-update', '1', out(STORYBOARD_IMAGE)]
    if (opts.storyboardPlaylist) {
      // Our own CMAF output: init + segments concatenated are one fragmented MP4 on stdin.
      const playlistPath = path.join(outDir, opts.storyboardPlaylist)
      const pl = parseHlsMediaPlaylist(await readFile(playlistPath, 'utf8'))
      const files = [pl.map, ...pl.segments.map((s) => s.uri)].filter((f): f is string => Boolean(f)).map((f) => path.join(outDir, f))
      const keyOnly = plan.interval >= (opts.segmentDuration ?? Number.POSITIVE_INFINITY)
      await ffmpeg(
        [...(keyOnly ? ['-skip_frame', 'nokey'] : []), '-protocol_whitelist', 'pipe', '-f', 'mp4', '-i', 'pipe:0', '-vf', grid, ...sbOut],
        opts.signal,
        () => concatFiles(files),
      )
    } else {
      await ffmpeg([...safeInputArgs(opts.inputPath, probe.container), '-vf', fromSourceFilter(probe, grid), ...sbOut], opts.signal)
    }
    await writeFile(out(STORYBOARD_VTT), buildStoryboardVtt(plan, probe.durationMs, path.basename(STORYBOARD_IMAGE)))

    const final = path.join(outDir, THUMBS_DIR)
    await rm(final, { recursive: true, force: true })
    await rename(work, final)
    return {
      poster: POSTER,
      thumbnails: shots.slice(1).map((s) => s.file),
      storyboard: { image: STORYBOARD_IMAGE, vtt: STORYBOARD_VTT, ...plan },
    }
  } catch (err) {
    await rm(work, { recursive: true, force: true })
    throw err
  }
}
