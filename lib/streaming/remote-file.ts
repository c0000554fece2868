import { Readable } from 'node:stream'
import type { ContentStore } from '@/lib/content/store'
import { AppError } from '@/lib/errors/app-error'
import type { RemoteFile } from '@/lib/streaming/serve-file'

/**
 * A file of a remote content store as `serveFile` reads it: size and ETag from one HEAD, each slice
 * one ranged GET opened on first read (a response that is never read costs no request).
 */
export async function remoteFile(store: ContentStore, hash: string, relPath: string): Promise<RemoteFile> {
  const head = await store.head(hash, relPath)
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
