import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { LEFTOVER_MIN_AGE_MS, sweepLeftovers } from '@/lib/content/leftovers'
import { contentDir } from '@/lib/content/paths'
import { tempDir } from '@/lib/content/store'
import { db, disconnectDb } from '@/lib/db'
import { ingestUpload } from '@/lib/videos/ingest'

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  )
const randomHash = () => randomBytes(32).toString('hex')
const twoHoursAgo = () => new Date(Date.now() - 2 * LEFTOVER_MIN_AGE_MS)
const age = (p: string) => utimes(p, twoHoursAgo(), twoHoursAgo())

/** A finished upload in the temp directory, as the multipart receiver leaves it. */
async function tempUpload(): Promise<{ tempPath: string; hash: string; size: number }> {
  const bytes = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), randomBytes(64)])
  const tempPath = path.join(tempDir(), `upload-${randomBytes(6).toString('hex')}`)
  await mkdir(path.dirname(tempPath), { recursive: true })
  await writeFile(tempPath, bytes)
  return { tempPath, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
}

afterAll(disconnectDb)

describe('ingest is all or nothing', () => {
  it('leaves neither the temp file nor a stored original when the rows cannot be written', async () => {
    const upload = await tempUpload()
    const noSuchOwner = 'c0000000000000000000nobody'
    await expect(ingestUpload({ ownerId: noSuchOwner, ...upload, metadata: { title: 'orphan' } })).rejects.toThrow()
    expect(await exists(upload.tempPath)).toBe(false)
    expect(await exists(contentDir(upload.hash))).toBe(false)
    expect(await db.content.findUnique({ where: { hash: upload.hash } })).toBeNull()
  })

  it('refuses a NUL title before any byte is stored', async () => {
    const owner = await createUser({ email: `nul-${Date.now()}@ingest.test`, password: 'password-123' })
    const upload = await tempUpload()
    await expect(ingestUpload({ ownerId: owner.id, ...upload, metadata: { title: 'a\u0000b' } })).rejects.toMatchObject({ name: 'ZodError' })
    expect(await exists(upload.tempPath)).toBe(false)
    expect(await exists(contentDir(upload.hash))).toBe(false)
    expect(await db.content.findUnique({ where: { hash: upload.hash } })).toBeNull()
  })

  it('stores the bytes with their rows, typed by what they are', async () => {
    const owner = await createUser({ email: `ok-${Date.now()}@ingest.test`, password: 'password-123' })
    const upload = await tempUpload()
    const result = await ingestUpload({ ownerId: owner.id, ...upload, metadata: { title: 'fine' } })
    expect(result.deduplicated).toBe(false)
    expect(await exists(path.join(contentDir(upload.hash), 'original'))).toBe(true)
    expect((await db.content.findUniqueOrThrow({ where: { hash: upload.hash } })).mime).toBe('video/mp4')
  })
})

describe('the leftover sweep', () => {
  let dataDir: string

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('removes old content directories no row references and upload leftovers, and keeps everything else', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-sweep-'))
    const contentFile = async (hash: string, old: boolean) => {
      const dir = contentDir(hash, dataDir)
      await mkdir(dir, { recursive: true })
      await writeFile(path.join(dir, 'original'), 'bytes')
      if (old) await age(dir)
      return dir
    }
    const oldOrphan = await contentFile(randomHash(), true)
    const freshOrphan = await contentFile(randomHash(), false)
    const referencedHash = randomHash()
    await db.content.create({ data: { hash: referencedHash, size: 5n, mime: 'video/mp4' } })
    const oldReferenced = await contentFile(referencedHash, true)
    const notAHash = path.join(dataDir, 'content', 'ab', 'not-a-hash')
    await mkdir(notAHash, { recursive: true })
    await age(notAHash)

    const tmp = tempDir(dataDir)
    await mkdir(tmp, { recursive: true })
    await writeFile(path.join(tmp, 'upload-old'), 'x')
    await age(path.join(tmp, 'upload-old'))
    await writeFile(path.join(tmp, 'upload-fresh'), 'x')

    const uploads = path.join(dataDir, 'uploads')
    await mkdir(uploads, { recursive: true })
    const tusUpload = async (id: string, opts: { data?: string; size?: number; json?: boolean }) => {
      if (opts.data !== undefined) await writeFile(path.join(uploads, id), opts.data)
      if (opts.json) await writeFile(path.join(uploads, `${id}.json`), JSON.stringify({ id, size: opts.size, offset: 0, metadata: {} }))
      for (const f of [id, `${id}.json`]) if (await exists(path.join(uploads, f))) await age(path.join(uploads, f))
    }
    await tusUpload('json-only', { json: true, size: 10 })
    await tusUpload('data-only', { data: '12345' })
    await tusUpload('unfinished', { data: '12345', json: true, size: 10 })
    await tusUpload('complete-never-ingested', { data: '1234567890', json: true, size: 10 })
    await writeFile(path.join(uploads, 'fresh.json'), '{}')

    const removed = await sweepLeftovers({ dataDir })
    expect(removed).toEqual({ content: 1, temp: 1, uploads: 3 })
    expect(await exists(oldOrphan)).toBe(false)
    expect(await exists(freshOrphan)).toBe(true)
    expect(await exists(oldReferenced)).toBe(true)
    expect(await exists(notAHash)).toBe(true)
    expect((await readdir(tmp)).sort()).toEqual(['upload-fresh'])
    expect((await readdir(uploads)).sort()).toEqual(['fresh.json', 'unfinished', 'unfinished.json'])
    await db.content.delete({ where: { hash: referencedHash } })
  })
})
