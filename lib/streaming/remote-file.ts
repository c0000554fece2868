import { Readable } from 'node:stream'
import type { ContentStore, StoredObject } from '@/lib/content/store'
import { AppError } from '@/lib/errors/app-error'
import type { RemoteFile } from '@/lib/streaming/serve-file'

// Files under a hash never change, so their size and ETag can be remembered: a player's range
// requests then cost one GET each instead of a HEAD and a GET. Briefly, so that content deleted
// by retention stops being announced soon after.
const HEAD_TTL_MS = 60_000
const HEAD_CACHE_MAX = 2000
const cachesByStore = new WeakMap<ContentStore, Map<string, { object: StoredObject; at: number }>>()

async function cachedHead(store: ContentStore, hash: string, relPath: string): Promise<StoredObject | null> {
  const heads = cachesByStore.get(store) ?? new Map<string, { object: StoredObject; at: number }>()
  cachesByStore.set(store, heads)
  const key = `${hash}/${relPath}`
  const hit = heads.get(key)
  if (hit && Date.now() - hit.at < HEAD_TTL_MS) return hit.object
  const object = await store.head(hash, relPath)
  heads.delete(key)
  if (object) {
    if (heads.size >= HEAD_CACHE_MAX) heads.delete(heads.keys().next().value as string)
    heads.set(key, { object, at: Date.now() })
  }
  return object
}

/**
 * A growing playlist of a running encode: replaced as segments arrive, so its size and ETag are
 * only good together with its bytes. One GET of the whole (small) file gives all three.
 */
async function liveFile(store: ContentStore, hash: string, relPath: string): Promise<RemoteFile> {
  const read = await store.read(hash, relPath)
  if (!read) throw new AppError('NOT_FOUND', 'No such file.')
  const bytes = Buffer.concat(await read.body.toArray())
  return {
    size: bytes.length,
    etag: read.etag,
    lastModifiedMs: read.lastModified.getTime(),
    slice: (start, end) => Readable.from([bytes.subarray(start, end + 1)]),
  }
}

/**
 * A file of a remote content store as `serveFile` reads it: size and ETag from a (remembered)
 * HEAD, each slice one ranged GET opened on first read (a response never read costs no request).
 * `live`: a running encode's file, never remembered (playlists change, a retry replaces segments).
 */
export async function remoteFile(store: ContentStore, hash: string, relPath: string, opts: { live?: boolean } = {}): Promise<RemoteFile> {
  if (opts.live && /\.(m3u8|mpd)$/.test(relPath)) return liveFile(store, hash, relPath)
  const head = opts.live ? await store.head(hash, relPath) : await cachedHead(store, hash, relPath)
  if (!head) throw new AppError('NOT_FOUND', 'No such file.')
  return {
    size: head.size,
    etag: head.etag,
    lastModifiedMs: head.lastModified.getTime(),
    slice(start, end) {
      async function* bytes(): AsyncGenerator<Buffer> {
        const read = await store.read(hash, relPath, { start, end })
        if (!read) throw new AppError('NOT_FOUND', 'No such file.')
        // Leaving early (client gone) ends this loop, which destroys the response stream.
        for await (const chunk of read.body) yield chunk as Buffer
      }
      return Readable.from(bytes(), { objectMode: false })
    },
  }
}
