import type { ContentStore } from './types'

/** A whole stored file (manifests, playlists, logs: small files), or null when there is none. */
export async function readStoredFile(store: ContentStore, hash: string, relPath: string): Promise<Buffer | null> {
  const read = await store.read(hash, relPath)
  if (!read) return null
  return Buffer.concat(await read.body.toArray())
}
