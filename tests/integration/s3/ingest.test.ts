import { createHash, randomBytes } from 'node:crypto'
import { mkdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { contentDir } from '@/lib/content/paths'
import { sweepOrphanedContent } from '@/lib/content/retention'
import { tempDir } from '@/lib/content/store'
import { s3ContentStore } from '@/lib/content/store/s3'
import { db, disconnectDb } from '@/lib/db'
import { ingestUpload } from '@/lib/videos/ingest'

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  )
// Looks at the bucket directly, not through the code under test's store.
const bucket = () => s3ContentStore(inject('s3'))

/** A finished upload in the temp directory, as the multipart receiver leaves it. */
async function tempUpload(): Promise<{ tempPath: string; hash: string; size: number }> {
  const bytes = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), randomBytes(64)])
  const tempPath = path.join(tempDir(), `upload-${randomBytes(6).toString('hex')}`)
  await mkdir(path.dirname(tempPath), { recursive: true })
  await writeFile(tempPath, bytes)
  return { tempPath, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }
}
const owner = () => createUser({ email: `s3-${randomBytes(4).toString('hex')}@ingest.test`, password: 'password-123' })

afterAll(disconnectDb)

describe('ingest with CONTENT_STORE=s3', () => {
  it('puts the original in the bucket under its hash, nothing under DATA_DIR/content, and queues an encode', async () => {
    const upload = await tempUpload()
    const result = await ingestUpload({ ownerId: (await owner()).id, ...upload, metadata: { title: 'to the bucket' } })
    expect(result).toMatchObject({ contentHash: upload.hash, deduplicated: false })
    expect(result.sessionId).toBeTruthy()
    expect(await bucket().head(upload.hash, 'original')).toMatchObject({ size: upload.size })
    expect(await exists(upload.tempPath)).toBe(false)
    expect(await exists(contentDir(upload.hash))).toBe(false)
    expect((await db.content.findUniqueOrThrow({ where: { hash: upload.hash } })).mime).toBe('video/mp4')
  })

  it('deduplicates a second upload of the same bytes: no new session, the stored object untouched', async () => {
    const first = await tempUpload()
    const user = await owner()
    await ingestUpload({ ownerId: user.id, ...first, metadata: { title: 'first' } })
    const before = await bucket().head(first.hash, 'original')
    const again = path.join(tempDir(), `upload-${randomBytes(6).toString('hex')}`)
    await writeFile(again, await (await bucket().read(first.hash, 'original'))!.body.toArray().then((c) => Buffer.concat(c)))
    const second = await ingestUpload({ ownerId: user.id, tempPath: again, hash: first.hash, size: first.size, metadata: { title: 'second' } })
    expect(second).toMatchObject({ deduplicated: true, sessionId: null })
    expect(await exists(again)).toBe(false)
    expect(await bucket().head(first.hash, 'original')).toEqual(before)
  })

  it('leaves neither the temp file nor an object when the rows cannot be written', async () => {
    const upload = await tempUpload()
    await expect(ingestUpload({ ownerId: 'c0000000000000000000nobody', ...upload, metadata: { title: 'orphan' } })).rejects.toThrow()
    expect(await exists(upload.tempPath)).toBe(false)
    expect(await bucket().list(upload.hash)).toEqual([])
    expect(await db.content.findUnique({ where: { hash: upload.hash } })).toBeNull()
  })

  it('refuses bad metadata before any byte reaches the bucket', async () => {
    const upload = await tempUpload()
    await expect(ingestUpload({ ownerId: (await owner()).id, ...upload, metadata: { title: 'a\u0000b' } })).rejects.toMatchObject({ name: 'ZodError' })
    expect(await bucket().list(upload.hash)).toEqual([])
  })

  it('retention deletes the objects of content no video references', async () => {
    const upload = await tempUpload()
    const { videoId } = await ingestUpload({ ownerId: (await owner()).id, ...upload, metadata: { title: 'short-lived' } })
    await bucket().put(upload.hash, 'streams/0/seg-0-00001.m4s', Readable.from([Buffer.from('segment')]))
    await db.video.delete({ where: { id: videoId } })
    await db.content.update({ where: { hash: upload.hash }, data: { orphanedAt: new Date(Date.now() - 3 * 86_400_000) } })
    expect(await sweepOrphanedContent(1)).toContain(upload.hash)
    expect(await bucket().list(upload.hash)).toEqual([])
  })
})
