// Names of the files in a content directory, shared by the pipeline that writes them and the web
// side that links and serves them. No imports on purpose: web code may use it without pulling
// pipeline (FFmpeg) code into its bundle.
//
//   original                          the upload, as received
//   meta.json                         ingest facts (served only through the info route)
//   manifest.mpd                      DASH (static once complete)
//   master.m3u8                       HLS master playlist
//   media_<id>.m3u8                   HLS media playlist of representation <id>
//   streams/<id>/init.m4s             CMAF init segment
//   streams/<id>/seg-00001.m4s ...    CMAF media segments, numbered from 1
//   thumbs/poster.jpg, thumbs/thumb-01.jpg ..., thumbs/storyboard.jpg, thumbs/storyboard.vtt
//   frames/at-<ms>.jpg                a frame an owner chose as a video's poster (poster size)
//   logs/ffmpeg.log                   command line + stderr tail of the encode (never served)
//   .partial/                         work directory of a running encode, same names below it
//
// <id> is FFmpeg's DASH representation id: video rungs 0..n-1 from the highest, then one per audio track
// (language) n, n+1, … in source order. The DASH muxer applies one file-name template to every
// representation, hence ids rather than rung names in paths.

export const ORIGINAL = 'original'
export const DASH_MANIFEST = 'manifest.mpd'
export const HLS_MASTER = 'master.m3u8'
export const STREAMS_DIR = 'streams'
export const THUMBS_DIR = 'thumbs'
export const LOGS_DIR = 'logs'
export const FFMPEG_LOG = `${LOGS_DIR}/ffmpeg.log`
/** Work directory of a running encode; servable while the session runs (growing playlists). */
export const PARTIAL_DIR = '.partial'
export const THUMBS_PARTIAL_DIR = '.thumbs.partial'

const INIT_FILE = 'init.m4s'
export const INIT_TEMPLATE = `${STREAMS_DIR}/$RepresentationID$/${INIT_FILE}`
export const SEGMENT_TEMPLATE = `${STREAMS_DIR}/$RepresentationID$/seg-$Number%05d$.m4s`
export const SEGMENT_RE = /^seg-(\d{5,})\.m4s$/

export const streamDir = (id: number) => `${STREAMS_DIR}/${id}`
export const initPath = (id: number) => `${STREAMS_DIR}/${id}/${INIT_FILE}`
export const segmentPath = (id: number, n: number) => `${STREAMS_DIR}/${id}/seg-${String(n).padStart(5, '0')}.m4s`
export const mediaPlaylist = (id: number) => `media_${id}.m3u8`

/** The query parameter that turns the original's URL into a download of one video (its id). */
export const DOWNLOAD_PARAM = 'download'
export const POSTER = `${THUMBS_DIR}/poster.jpg`
export const STORYBOARD_IMAGE = `${THUMBS_DIR}/storyboard.jpg`
export const STORYBOARD_VTT = `${THUMBS_DIR}/storyboard.vtt`
/** The poster's size for a source: display size, capped at 720 on the short side (even numbers, for the encoder). */
export function posterSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(width, height, 720) / Math.min(width, height)
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2)
  return { width: even(width * scale), height: even(height * scale) }
}
export const thumbnailPath = (i: number) => `${THUMBS_DIR}/thumb-${String(i).padStart(2, '0')}.jpg`
/** Thumbnails the pipeline makes per content (thumb-01 … thumb-05), evenly spread. */
export const THUMBNAIL_COUNT = 5
export const FRAMES_DIR = 'frames'
/** A poster frame at `atMs`: named by its time, so it is the same file for every video of the content. */
export const framePath = (atMs: number) => `${FRAMES_DIR}/at-${Math.trunc(atMs)}.jpg`
const FRAME_RE = /^at-\d{1,10}\.jpg$/

const MEDIA_PLAYLIST_RE = /^media_\d{1,3}\.m3u8$/
const STREAM_FILE_RE = /^\d{1,3}$/
const THUMB_RE = /^thumb-\d{2,3}\.jpg$/
const THUMB_FILES = new Set([POSTER, STORYBOARD_IMAGE, STORYBOARD_VTT].map((p) => p.slice(THUMBS_DIR.length + 1)))

/** Whether `relPath` names a file players fetch: the original or an output the pipeline writes (logs excluded). */
export function isPlayerFile(relPath: string): boolean {
  const parts = relPath.split('/')
  if (parts.length === 1) return relPath === ORIGINAL || relPath === DASH_MANIFEST || relPath === HLS_MASTER || MEDIA_PLAYLIST_RE.test(relPath)
  if (parts.length === 2 && parts[0] === THUMBS_DIR) return THUMB_FILES.has(parts[1]) || THUMB_RE.test(parts[1])
  if (parts.length === 2 && parts[0] === FRAMES_DIR) return FRAME_RE.test(parts[1])
  return parts.length === 3 && parts[0] === STREAMS_DIR && STREAM_FILE_RE.test(parts[1]) && (parts[2] === INIT_FILE || SEGMENT_RE.test(parts[2]))
}

/** Whether `relPath` names a file a running encode's work directory serves (manifests and segments so far). */
export function isPartialPlayerFile(relPath: string): boolean {
  return relPath !== ORIGINAL && !relPath.startsWith(`${THUMBS_DIR}/`) && !relPath.startsWith(`${FRAMES_DIR}/`) && isPlayerFile(relPath)
}

/**
 * Where a file a running encode serves lives in a remote store. Segments never change once written,
 * so the worker uploads them straight to their final names; only the growing playlists and
 * manifests live under `.partial/` (and are replaced as the encode goes on).
 */
export function remoteLivePath(relPath: string): string {
  const inner = relPath.startsWith(`${PARTIAL_DIR}/`) ? relPath.slice(PARTIAL_DIR.length + 1) : relPath
  return inner.startsWith(`${STREAMS_DIR}/`) ? inner : relPath
}
