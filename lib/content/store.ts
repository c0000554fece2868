import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { env } from '@/lib/config/env'
import { contentDir, HASH_RE } from './paths'

/** Where content lives. Local disk now; the interface is what an S3 store would implement. */
export interface ContentStore {
  has(hash: string): Promise<boolean>
  /** Moves a finished temp file in as `<hash>/original`; a no-op returning false when already stored. */
  importOriginal(tempPath: string, hash: string): Promise<boolean>
  /** Absolute path of a stored file (local store only; remote stores would stream). */
  filePath(hash: string, relPath: string): string
  remove(hash: string): Promise<void>
}

export function localContentStore(dataDir = env().dataDir): ContentStore {
  return {
    async has(hash) {
      return !!(await stat(path.join(contentDir(hash, dataDir), 'original')).catch(() => null))
    },
    async importOriginal(tempPath, hash) {
      if (!HASH_RE.test(hash)) throw new Error('bad hash')
      const dir = contentDir(hash, dataDir)
      if (await this.has(hash)) {
        await rm(tempPath, { force: true })
        return false
      }
      await mkdir(dir, { recursive: true })
      // Same file system (both under DATA_DIR), so rename is atomic: readers see all or nothing.
      await rename(tempPath, path.join(dir, 'original'))
      return true
    },
    filePath(hash, relPath) {
      return path.join(contentDir(hash, dataDir), relPath)
    },
    async remove(hash) {
      await rm(contentDir(hash, dataDir), { recursive: true, force: true })
    },
  }
}

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
