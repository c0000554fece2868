import path from 'node:path'
import { contentDir, HASH_RE } from '@/lib/content/paths'
import { AppError } from '@/lib/errors/app-error'

export interface StoredFile {
  hash: string
  relPath: string
  absPath: string
}

// meta.json is deliberately absent: the info route owns the public shape of a content's metadata.
const TOP_LEVEL_FILES = new Set(['original', 'manifest.mpd', 'master.m3u8', 'storyboard.vtt'])
const TREES = new Set(['video', 'audio', 'streams', 'thumbs'])
/** Work directory of a running encode (growing playlists): the same vocabulary below it. */
export const PARTIAL_PREFIX = '.partial/'
// Leading dots are refused so in-progress temp files (`.seg.tmp`) and `.`/`..` are never served.
const NAME_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/
const MEDIA_PLAYLIST_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.m3u8$/
const MAX_DEPTH = 5

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such file.')
}

/**
 * Whether a relative path names a servable file of a stored content. Only a fixed vocabulary passes,
 * so `..`, `%2F`, `\`, NUL, absolute paths and anything unknown fail without touching the disk.
 */
export function isStoredRelPath(relPath: string): boolean {
  if (relPath.startsWith(PARTIAL_PREFIX)) return isStoredRelPath(relPath.slice(PARTIAL_PREFIX.length))
  const parts = relPath.split('/')
  if (parts.length === 1) return TOP_LEVEL_FILES.has(relPath) || MEDIA_PLAYLIST_RE.test(relPath)
  return parts.length <= MAX_DEPTH && TREES.has(parts[0]) && parts.slice(1).every((p) => NAME_RE.test(p))
}

/** Absolute path of one stored file, or AppError NOT_FOUND for any hash or path outside the vocabulary. */
export function resolveStoredFile(hash: string, relPath: string, dataDir?: string): StoredFile {
  if (!HASH_RE.test(hash) || !isStoredRelPath(relPath)) throw notFound()
  return { hash, relPath, absPath: path.join(contentDir(hash, dataDir), ...relPath.split('/')) }
}
