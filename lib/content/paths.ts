import path from 'node:path'
import { env } from '@/lib/config/env'

// Content-addressed layout: <DATA_DIR>/content/<hash[0:2]>/<hash>/{original, meta.json, manifest.mpd, ...}
export const HASH_RE = /^[0-9a-f]{64}$/

export function contentRoot(dataDir = env().dataDir): string {
  return path.join(dataDir, 'content')
}

export function contentDir(hash: string, dataDir = env().dataDir): string {
  if (!HASH_RE.test(hash)) throw new Error(`not a content hash: ${hash}`)
  return path.join(contentRoot(dataDir), hash.slice(0, 2), hash)
}

/** This node's scratch space for encodes whose content lives in a remote store (never served). */
export function workRoot(dataDir = env().dataDir): string {
  return path.join(dataDir, 'work')
}
