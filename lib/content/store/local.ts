import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { env } from '@/lib/config/env'
import { contentDir, contentRoot, HASH_RE } from '@/lib/content/paths'
import { assertRelPath } from './keys'
import { type LocalContentStore, type ReadRange, type StoredEntry, type StoredObject, UnsatisfiableRangeError } from './types'

const READ_PIECE = 1 << 20

async function statObject(file: string): Promise<StoredObject | null> {
  const s = await stat(file).catch(() => null)
  if (!s?.isFile()) return null
  // Stored files never change in place, so size and mtime identify their bytes.
  return { size: s.size, etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`, lastModified: s.mtime }
}

/** Inclusive byte positions of `range` in an object of `size` bytes (RFC 9110 §14.1.2). */
export function resolveRange(range: ReadRange | undefined, size: number): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 }
  if ('suffix' in range) return { start: Math.max(0, size - range.suffix), end: size - 1 }
  if (range.start >= size) throw new UnsatisfiableRangeError(size)
  return { start: range.start, end: Math.min(range.end, size - 1) }
}

async function listFiles(dir: string, base = ''): Promise<StoredEntry[]> {
  const out: StoredEntry[] = []
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const rel = base ? `${base}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)))
    else if (entry.isFile()) {
      const s = await stat(path.join(dir, entry.name))
      out.push({ relPath: rel, size: s.size, lastModified: s.mtime })
    }
  }
  return out
}

export function localContentStore(dataDir = env().dataDir): LocalContentStore {
  const file = (hash: string, relPath: string) => {
    assertRelPath(relPath)
    return path.join(contentDir(hash, dataDir), relPath)
  }
  return {
    kind: 'local',
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
    async put(hash, relPath, source, opts) {
      void opts
      const dest = file(hash, relPath)
      await mkdir(path.dirname(dest), { recursive: true })
      // Written beside its final name, then renamed: readers never see a half-written file.
      const partial = `${dest}.${randomBytes(6).toString('hex')}.partial`
      try {
        if (typeof source === 'string') await copyFile(source, partial)
        else await pipeline(source, createWriteStream(partial))
        await rename(partial, dest)
      } catch (err) {
        await rm(partial, { force: true })
        throw err
      }
    },
    async head(hash, relPath) {
      return statObject(file(hash, relPath))
    },
    async read(hash, relPath, range) {
      const f = file(hash, relPath)
      const object = await statObject(f)
      if (!object) return null
      const { start, end } = resolveRange(range, object.size)
      const body: Readable = createReadStream(f, { start, end: Math.max(start, end), highWaterMark: READ_PIECE })
      return { ...object, body, start, end }
    },
    list(hash) {
      return listFiles(contentDir(hash, dataDir))
    },
    filePath(hash, relPath) {
      return path.join(contentDir(hash, dataDir), relPath)
    },
    async remove(hash) {
      await rm(contentDir(hash, dataDir), { recursive: true, force: true })
    },
    async removeFiles(hash, relPaths) {
      await Promise.all(relPaths.map((p) => rm(file(hash, p), { force: true })))
    },
    async listHashes() {
      const root = contentRoot(dataDir)
      const out: string[] = []
      for (const prefix of await readdir(root).catch(() => [])) {
        if (!/^[0-9a-f]{2}$/.test(prefix)) continue
        for (const hash of await readdir(path.join(root, prefix)).catch(() => [])) if (HASH_RE.test(hash) && hash.startsWith(prefix)) out.push(hash)
      }
      return out
    },
    async presignedGetUrl() {
      return null
    },
  }
}
