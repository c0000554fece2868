import { readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'

// Names of everything the pipeline writes into a content directory. Files the pipeline does not own
// (the upload `original`, `meta.json`) are never touched.
//
//   manifest.mpd                      DASH (static once complete)
//   master.m3u8                       HLS master playlist
//   media_<id>.m3u8                   HLS media playlist of representation <id>
//   streams/<id>/init.m4s             CMAF init segment
//   streams/<id>/seg-00001.m4s ...    CMAF media segments, numbered from 1
//   thumbs/poster.jpg, thumbs/thumb-01.jpg ..., thumbs/storyboard.jpg, thumbs/storyboard.vtt
//   logs/ffmpeg.log                   command line + stderr tail of the encode
//
// <id> is FFmpeg's DASH representation id: video rungs 0..n-1 from the highest, audio n. The DASH muxer
// applies one file-name template to every representation, hence ids rather than rung names in paths.

export const DASH_MANIFEST = 'manifest.mpd'
export const HLS_MASTER = 'master.m3u8'
export const STREAMS_DIR = 'streams'
export const THUMBS_DIR = 'thumbs'
export const LOGS_DIR = 'logs'
export const FFMPEG_LOG = 'logs/ffmpeg.log'
/** Work directory of a running encode; servable while the session runs (growing playlists). */
export const PARTIAL_DIR = '.partial'
const THUMBS_PARTIAL = '.thumbs.partial'

export const INIT_TEMPLATE = `${STREAMS_DIR}/$RepresentationID$/init.m4s`
export const SEGMENT_TEMPLATE = `${STREAMS_DIR}/$RepresentationID$/seg-$Number%05d$.m4s`
export const SEGMENT_RE = /^seg-(\d{5,})\.m4s$/

export const streamDir = (id: number) => `${STREAMS_DIR}/${id}`
export const initPath = (id: number) => `${STREAMS_DIR}/${id}/init.m4s`
export const segmentPath = (id: number, n: number) => `${STREAMS_DIR}/${id}/seg-${String(n).padStart(5, '0')}.m4s`
export const mediaPlaylist = (id: number) => `media_${id}.m3u8`

const MANAGED_FILE = /^(manifest\.mpd|master\.m3u8|media_\d+\.m3u8)(\.tmp)?$/
const MANAGED_DIRS = new Set([STREAMS_DIR, THUMBS_DIR, LOGS_DIR, PARTIAL_DIR, THUMBS_PARTIAL])

export function partialDir(outDir: string): string {
  return path.join(outDir, PARTIAL_DIR)
}

export function thumbsPartialDir(outDir: string): string {
  return path.join(outDir, THUMBS_PARTIAL)
}

/** Removes every pipeline output of an earlier attempt, so a retry after a crash starts clean. */
export async function removePipelineOutputs(outDir: string): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(outDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  await Promise.all(
    entries
      .filter((e) => MANAGED_FILE.test(e) || MANAGED_DIRS.has(e))
      .map((e) => rm(path.join(outDir, e), { recursive: true, force: true })),
  )
}

/**
 * Moves a finished encode from the work directory into outDir. Segments move first and the manifests
 * last, so whoever sees `manifest.mpd`/`master.m3u8` in outDir sees complete outputs.
 */
export async function promotePartial(outDir: string): Promise<void> {
  const work = partialDir(outDir)
  const entries = await readdir(work)
  const order = (e: string) => (e === DASH_MANIFEST || e === HLS_MASTER ? 2 : e.endsWith('.m3u8') ? 1 : 0)
  const sorted = entries.filter((e) => !e.endsWith('.tmp')).sort((a, b) => order(a) - order(b))
  for (const e of sorted) {
    const to = path.join(outDir, e)
    await rm(to, { recursive: true, force: true })
    await rename(path.join(work, e), to)
  }
  await rm(work, { recursive: true, force: true })
}
