import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  HLS_MASTER,
  INIT_TEMPLATE,
  mediaPlaylist,
  POSTER,
  SEGMENT_TEMPLATE,
  STORYBOARD_IMAGE,
  STORYBOARD_VTT,
  streamDir,
  THUMBS_DIR,
} from '@/lib/content/layout'

/** The pipeline's DASH file-name template in the HLS muxer's syntax (%v: variant index). */
const hlsName = (template: string) => template.replace('$RepresentationID$', '%v').replace('$Number%05d$', '%05d')

// Media fixtures for the UI tests and the gallery bench, made by FFmpeg at run time, and rows
// written straight into the content store and database (for states the tests must control
// regardless of the worker: a video that stays `processing`, one already packaged).

export async function tempDir(prefix = 'reelhouse-ui-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  // Traversable, so an embedded PostgreSQL (which runs as its own user under root) can live below it.
  await chmod(dir, 0o711)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export interface ClipOptions {
  seconds?: number
  size?: string
  /** Video bitrate, e.g. '6M' (sets the file size); CRF otherwise. */
  bitrate?: string
  fragmented?: boolean
  /** An FFmpeg lavfi video source pattern (testsrc2, smptehdbars, mandelbrot, ...). */
  pattern?: string
  /** Add grain so the encoder reaches `bitrate` (test patterns compress far below it). */
  grain?: boolean
  /** Tone frequency (Hz): distinct tones make distinct bytes, so each clip is its own content. */
  tone?: number
}

/** An H.264/AAC MP4 test clip (testsrc2 pattern + tone), keyframe every second. */
export function makeClip(out: string, o: ClipOptions = {}): string {
  const rate = 30
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `${o.pattern ?? 'testsrc2'}=size=${o.size ?? '640x360'}:rate=${rate}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${o.tone ?? 440}:sample_rate=48000`,
    '-t',
    String(o.seconds ?? 6),
    ...(o.grain ? ['-vf', 'noise=alls=25:allf=t'] : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    String(rate),
    '-keyint_min',
    String(rate),
    '-sc_threshold',
    '0',
    ...(o.bitrate ? ['-b:v', o.bitrate, '-maxrate', o.bitrate, '-bufsize', o.bitrate] : []),
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-movflags',
    o.fragmented ? 'frag_keyframe+empty_moov+default_base_moof' : '+faststart',
    out,
  ])
  return out
}

/**
 * HEVC in Matroska, what phones and cameras make and Chromium cannot play: only the growing (then
 * final) playlists can show it. `seed` makes distinct bytes, so every upload is its own encode.
 * At most 10 s are encoded (x265 is slow on a busy machine); longer clips repeat them by stream copy.
 */
export function makeHevcMkv(out: string, o: { seconds: number; size?: string; seed?: number }): string {
  const piece = Math.min(10, o.seconds)
  const first = o.seconds > piece ? `${out}.piece.mkv` : out
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${o.size ?? '1920x1080'}:rate=30`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${440 + (o.seed ?? 0)}:sample_rate=48000`,
    '-t',
    String(piece),
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    first,
  ])
  if (first === out) return out
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', first, '-t', String(o.seconds), '-c', 'copy', out])
  rmSync(first, { force: true })
  return out
}

export async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

export function contentPath(dataDir: string, hash: string): string {
  return path.join(dataDir, 'content', hash.slice(0, 2), hash)
}

export interface Rung {
  name: string
  height: number
  /** bit/s */
  bitrate: number
}

export const DEFAULT_RUNGS: Rung[] = [
  { name: '360p', height: 360, bitrate: 900_000 },
  { name: '180p', height: 180, bitrate: 200_000 },
]

/**
 * Packages `clip` the way the pipeline does (CMAF/fMP4 HLS, one rung with audio per entry of
 * `rungs`, poster, storyboard sprite + VTT) under the content directory, with the pipeline's file names.
 */
export async function packageHls(clip: string, dir: string, seconds: number, rungs: Rung[] = DEFAULT_RUNGS): Promise<{ rungs: Rung[] }> {
  await mkdir(path.join(dir, THUMBS_DIR), { recursive: true })
  const split = `[0:v]split=${rungs.length}${rungs.map((_, i) => `[s${i}]`).join('')};${rungs.map((r, i) => `[s${i}]scale=-2:${r.height}[v${i}]`).join(';')}`
  execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-i',
      clip,
      '-filter_complex',
      split,
      ...rungs.flatMap((_, i) => ['-map', `[v${i}]`, '-map', '0:a']),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '30',
      '-keyint_min',
      '30',
      '-sc_threshold',
      '0',
      ...rungs.flatMap((r, i) => [`-b:v:${i}`, String(r.bitrate), `-maxrate:v:${i}`, String(r.bitrate), `-bufsize:v:${i}`, String(r.bitrate * 2)]),
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      '-f',
      'hls',
      '-hls_time',
      '2',
      '-hls_playlist_type',
      'vod',
      '-hls_segment_type',
      'fmp4',
      '-start_number',
      '1',
      '-hls_fmp4_init_filename',
      hlsName(INIT_TEMPLATE),
      '-var_stream_map',
      rungs.map((_, i) => `v:${i},a:${i}`).join(' '),
      '-master_pl_name',
      HLS_MASTER,
      '-hls_segment_filename',
      hlsName(SEGMENT_TEMPLATE),
      mediaPlaylist(0).replace('0', '%v'),
    ],
    { cwd: dir },
  )
  // FFmpeg names each segment relative to its own directory; the playlists sit above them.
  for (let id = 0; id < rungs.length; id++) {
    const file = path.join(dir, mediaPlaylist(id))
    const playlist = await readFile(file, 'utf8')
    await writeFile(
      file,
      playlist.replace(/^(?!#)(\S+)$/gm, (line) => `${streamDir(id)}/${line}`),
    )
  }
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '1', '-i', clip, '-frames:v', '1', '-vf', 'scale=640:-2', path.join(dir, POSTER)])
  const cols = 5
  const tiles = Math.max(1, Math.ceil(seconds))
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    clip,
    '-vf',
    `fps=1,scale=160:90,tile=${cols}x${Math.ceil(tiles / cols)}`,
    '-frames:v',
    '1',
    path.join(dir, STORYBOARD_IMAGE),
  ])
  const ts = (s: number) => `${new Date(s * 1000).toISOString().slice(11, 23)}`
  const image = path.posix.basename(STORYBOARD_IMAGE)
  let vtt = 'WEBVTT\n\n'
  for (let i = 0; i < tiles; i++) vtt += `${ts(i)} --> ${ts(i + 1)}\n${image}#xywh=${(i % cols) * 160},${Math.floor(i / cols) * 90},160,90\n\n`
  await writeFile(path.join(dir, STORYBOARD_VTT), vtt)
  return { rungs }
}

export interface ContentOptions {
  clip: string
  dataDir: string
  /** PROCESSING stays `processing` (no session, so no worker touches it); STORED is packaged as HLS. */
  state: 'PROCESSING' | 'STORED'
  seconds: number
  width?: number
  height?: number
  /** The HLS ladder of STORED content (DEFAULT_RUNGS otherwise). */
  rungs?: Rung[]
}

type Db = typeof import('@/lib/db')['db']

/** Puts a clip in the content store (packaged once per hash when STORED). Returns the hash. */
export async function seedContent(db: Db, o: ContentOptions): Promise<string> {
  const hash = await sha256File(o.clip)
  if (await db.content.findUnique({ where: { hash }, select: { hash: true } })) return hash
  const dir = contentPath(o.dataDir, hash)
  await mkdir(dir, { recursive: true })
  await copyFile(o.clip, path.join(dir, 'original'))
  const size = (await stat(o.clip)).size
  const rungs = o.state === 'STORED' ? (await packageHls(o.clip, dir, o.seconds, o.rungs)).rungs : []
  await db.content.create({
    data: {
      hash,
      size: BigInt(size),
      mime: 'video/mp4',
      state: o.state,
      durationMs: Math.round(o.seconds * 1000),
      width: o.width ?? 640,
      height: o.height ?? 360,
      storedAt: o.state === 'STORED' ? new Date() : null,
      renditions: {
        create: rungs.map((r) => ({
          name: r.name,
          kind: 'video',
          width: Math.round((r.height * 16) / 9),
          height: r.height,
          bitrate: r.bitrate,
          codecs: 'avc1.42c01e,mp4a.40.2',
        })),
      },
    },
  })
  return hash
}

export interface VideoOptions {
  hash: string
  title: string
  description?: string
  ownerEmail: string
  views?: number
  createdAt?: Date
}

/** A public video of stored content. Returns its id. */
export async function seedVideo(db: Db, o: VideoOptions): Promise<string> {
  const owner = await db.user.findUniqueOrThrow({ where: { email: o.ownerEmail } })
  const video = await db.video.create({
    data: {
      ownerId: owner.id,
      title: o.title,
      description: o.description ?? '',
      visibility: 'PUBLIC',
      contentHash: o.hash,
      views: o.views ?? 0,
      ...(o.createdAt ? { createdAt: o.createdAt } : {}),
    },
  })
  return video.id
}
