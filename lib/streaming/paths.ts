import path from 'node:path'
import { isPartialPlayerFile, isPlayerFile, PARTIAL_DIR } from '@/lib/content/layout'
import { contentDir, HASH_RE } from '@/lib/content/paths'
import { AppError } from '@/lib/errors/app-error'

export interface StoredFile {
  hash: string
  relPath: string
  absPath: string
}

/** Work directory of a running encode (growing playlists): manifests and segments below it. */
export const PARTIAL_PREFIX = `${PARTIAL_DIR}/`

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such file.')
}

/**
 * Whether a relative path names a servable file of a stored content: exactly the names the pipeline
 * writes for players (and the original), so `..`, `%2F`, `\`, NUL, absolute paths, logs, meta.json
 * and anything unknown fail without touching the disk.
 */
export function isStoredRelPath(relPath: string): boolean {
  if (relPath.startsWith(PARTIAL_PREFIX)) return isPartialPlayerFile(relPath.slice(PARTIAL_PREFIX.length))
  return isPlayerFile(relPath)
}

/** Absolute path of one stored file, or AppError NOT_FOUND for any hash or path outside the vocabulary. */
export function resolveStoredFile(hash: string, relPath: string, dataDir?: string): StoredFile {
  if (!HASH_RE.test(hash) || !isStoredRelPath(relPath)) throw notFound()
  return { hash, relPath, absPath: path.join(contentDir(hash, dataDir), ...relPath.split('/')) }
}
