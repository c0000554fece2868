import { readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { env } from '@/lib/config/env'
import { db } from '@/lib/db'
import { log } from '@/lib/log'
import { lockContentHash } from './lock'
import { contentRoot, HASH_RE, workRoot } from './paths'
import { type ContentStore, contentStore, localContentStore, tempDir } from './store'

/** Files younger than this may belong to an ingest or upload in flight (an active upload keeps touching its file). */
export const LEFTOVER_MIN_AGE_MS = 3600_000

const isOlder = async (file: string, cutoffMs: number): Promise<boolean> => {
  const s = await stat(file).catch(() => null)
  return !!s && s.mtimeMs < cutoffMs
}

/**
 * Removes a content's directory when no Content row names it, re-checked under the hash's lock so
 * an ingest moving the same bytes in is never undone. With `cutoffMs`, only a directory last
 * changed before it. True when removed.
 */
export async function removeUnreferencedContent(hash: string, opts: { cutoffMs?: number; dataDir?: string } = {}): Promise<boolean> {
  const { cutoffMs, dataDir } = opts
  // The sweep (with a cutoff) walks DATA_DIR/content, so what it finds is local; an ingest's undo
  // goes to the configured store.
  const store = cutoffMs === undefined && dataDir === undefined ? contentStore() : localContentStore(dataDir)
  return db.$transaction(
    async (tx) => {
      await lockContentHash(tx, hash)
      if (await tx.content.findUnique({ where: { hash }, select: { hash: true } })) return false
      if (cutoffMs !== undefined && !(await isOlder(localContentStore(dataDir).filePath(hash, ''), cutoffMs))) return false
      await store.remove(hash)
      return true
    },
    // A leftover may hold a whole encode: removing many files can take longer than the default 5 s.
    { timeout: 120_000 },
  )
}

/**
 * A remote store's contents no row references, newest object older than the cutoff: a crashed
 * ingest's upload, or a deleted content's objects whose removal failed. (Local content directories
 * are found by walking DATA_DIR/content instead.)
 */
async function sweepRemoteContent(store: ContentStore, cutoffMs: number): Promise<number> {
  let removed = 0
  for (const hash of await store.listHashes()) {
    if (await db.content.findUnique({ where: { hash }, select: { hash: true } })) continue
    const files = await store.list(hash)
    if (files.some((f) => f.lastModified.getTime() >= cutoffMs)) continue
    const gone = await db.$transaction(
      async (tx) => {
        await lockContentHash(tx, hash)
        if (await tx.content.findUnique({ where: { hash }, select: { hash: true } })) return false
        await store.remove(hash)
        return true
      },
      { timeout: 120_000 },
    )
    if (gone) removed++
  }
  return removed
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [])
}

async function sweepContent(dataDir: string, cutoffMs: number): Promise<number> {
  let removed = 0
  const root = contentRoot(dataDir)
  for (const prefix of await entries(root)) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue
    for (const hash of await entries(path.join(root, prefix))) {
      if (!HASH_RE.test(hash) || hash.slice(0, 2) !== prefix) continue
      if (await removeUnreferencedContent(hash, { cutoffMs, dataDir })) removed++
    }
  }
  return removed
}

// Temp files of single-request uploads (and demo renders), and remote-store encodes' scratch
// folders, that a crash left behind.
async function sweepTemp(dir: string, cutoffMs: number): Promise<number> {
  let removed = 0
  for (const name of await entries(dir)) {
    const file = path.join(dir, name)
    if (await isOlder(file, cutoffMs)) {
      await rm(file, { recursive: true, force: true })
      removed++
    }
  }
  return removed
}

/**
 * tus uploads are a data file `<id>` and its `<id>.json`. Unfinished uploads with both are the tus
 * server's to expire (after a day); a half without the other, or a complete upload that was never
 * ingested, is a leftover.
 */
async function sweepUploads(dataDir: string, cutoffMs: number): Promise<number> {
  let removed = 0
  const dir = path.join(dataDir, 'uploads')
  const names = new Set(await entries(dir))
  for (const name of names) {
    if (name.endsWith('.json')) {
      const dataName = name.slice(0, -'.json'.length)
      if (names.has(dataName) || !(await isOlder(path.join(dir, name), cutoffMs))) continue
      await rm(path.join(dir, name), { force: true })
      removed++
      continue
    }
    const file = path.join(dir, name)
    if (!(await isOlder(file, cutoffMs))) continue
    if (names.has(`${name}.json`) && !(await isCompleteUpload(file))) continue
    await rm(file, { force: true })
    await rm(`${file}.json`, { force: true })
    removed++
  }
  return removed
}

// Complete (every declared byte arrived) or undescribed (unreadable `.json`): nothing will resume it.
async function isCompleteUpload(file: string): Promise<boolean> {
  try {
    const { size } = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { size?: unknown }
    return typeof size === 'number' && size === (await stat(file)).size
  } catch {
    return true
  }
}

/** Removes content no row references (in `store` when it is remote, else under DATA_DIR/content) and upload leftovers, all older than `minAgeMs`. */
export async function sweepLeftovers(opts: { dataDir?: string; minAgeMs?: number; store?: ContentStore } = {}) {
  const dataDir = opts.dataDir ?? env().dataDir
  const cutoffMs = Date.now() - (opts.minAgeMs ?? LEFTOVER_MIN_AGE_MS)
  const result = {
    content: opts.store && opts.store.kind !== 'local' ? await sweepRemoteContent(opts.store, cutoffMs) : await sweepContent(dataDir, cutoffMs),
    temp: (await sweepTemp(tempDir(dataDir), cutoffMs)) + (await sweepTemp(workRoot(dataDir), cutoffMs)),
    uploads: await sweepUploads(dataDir, cutoffMs),
  }
  if (result.content + result.temp + result.uploads > 0) log.info(result, 'sweep: removed leftovers')
  return result
}
