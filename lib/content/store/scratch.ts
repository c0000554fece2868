import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { env } from '@/lib/config/env'

// The receiving node's own disk, whatever the content store: uploads land and are hashed here.

export function tempDir(dataDir = env().dataDir): string {
  return path.join(dataDir, 'tmp')
}

/** Streams bytes to `dest` while hashing them: one pass, memory independent of size. */
export async function writeHashed(source: Readable, dest: string, maxBytes = Number.POSITIVE_INFINITY): Promise<{ hash: string; size: number }> {
  await mkdir(path.dirname(dest), { recursive: true })
  const hash = createHash('sha256')
  let size = 0
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > maxBytes) return done(new Error('TOO_LARGE'))
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(source, meter, createWriteStream(dest))
  } catch (err) {
    await rm(dest, { force: true })
    throw err
  }
  return { hash: hash.digest('hex'), size }
}

/** SHA-256 of a file already on disk (tus uploads arrive in several requests). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), hash)
  return hash.digest('hex')
}
