import { PARTIAL_DIR } from '@/lib/content/layout'
import { HASH_RE } from '@/lib/content/paths'

// Names under a hash are ours (`original`, `streams/0/seg-0-00001.m4s`, `.partial/master.m3u8`, …):
// plain segments only, so no key can climb out of its hash or collide across hashes.
// The one dot-name is a running encode's growing playlists, first in the path.
const SEGMENT_RE = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/

export function assertRelPath(relPath: string): void {
  const ok = relPath.split('/').every((s, i) => SEGMENT_RE.test(s) || (i === 0 && s === PARTIAL_DIR && relPath.length > s.length))
  if (!ok) throw new Error(`not a stored file name: ${relPath}`)
}

/** `''` or `a/b/`: what S3_PREFIX means, however it was written. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '')
  return trimmed ? `${trimmed}/` : ''
}

/** Key of every object of one content: `<prefix><hash>/`. */
export function hashKeyPrefix(prefix: string, hash: string): string {
  if (!HASH_RE.test(hash)) throw new Error(`not a content hash: ${hash}`)
  return `${normalizePrefix(prefix)}${hash}/`
}

/** `<prefix><hash>/<relPath>` */
export function objectKey(prefix: string, hash: string, relPath: string): string {
  assertRelPath(relPath)
  return hashKeyPrefix(prefix, hash) + relPath
}
