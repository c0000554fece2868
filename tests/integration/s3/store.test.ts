import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type ContentStore, localContentStore, type ObjectRead, UnsatisfiableRangeError } from '@/lib/content/store'
import { s3ContentStore } from '@/lib/content/store/s3'

const newHash = () => randomBytes(32).toString('hex')
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

async function bytesOf(read: ObjectRead | null): Promise<Buffer> {
  if (!read) throw new Error('no such object')
  const chunks: Buffer[] = []
  for await (const c of read.body) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-store-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

async function scratchFile(bytes: Buffer): Promise<string> {
  const file = path.join(scratch, randomBytes(6).toString('hex'))
  await writeFile(file, bytes)
  return file
}

// One contract, two stores: what callers see must not depend on CONTENT_STORE.
describe.each([
  ['s3', () => s3ContentStore(inject('s3'))],
  ['local', () => localContentStore(scratch)],
] as const)('%s content store', (_kind, make) => {
  let store: ContentStore
  beforeAll(() => {
    store = make()
  })
  const data = randomBytes(100_000)

  it('stores a file under its hash and reads it back whole, with size and ETag', async () => {
    const hash = newHash()
    await store.put(hash, 'streams/0/seg-0-00001.m4s', await scratchFile(data), { contentType: 'video/mp4' })
    const head = await store.head(hash, 'streams/0/seg-0-00001.m4s')
    expect(head?.size).toBe(data.length)
    expect(head?.etag).toMatch(/^".+"$/)
    const read = await store.read(hash, 'streams/0/seg-0-00001.m4s')
    expect(read).toMatchObject({ size: data.length, start: 0, end: data.length - 1, etag: head?.etag })
    expect((await bytesOf(read)).equals(data)).toBe(true)
  })

  it('reads byte ranges: bytes=a-b, bytes=-N, an end past the size, and refuses a start past it', async () => {
    const hash = newHash()
    await store.put(hash, 'original', await scratchFile(data))
    const mid = await store.read(hash, 'original', { start: 100, end: 199 })
    expect(mid).toMatchObject({ start: 100, end: 199, size: data.length })
    expect((await bytesOf(mid)).equals(data.subarray(100, 200))).toBe(true)
    const tail = await store.read(hash, 'original', { suffix: 500 })
    expect(tail).toMatchObject({ start: data.length - 500, end: data.length - 1, size: data.length })
    expect((await bytesOf(tail)).equals(data.subarray(data.length - 500))).toBe(true)
    const clipped = await store.read(hash, 'original', { start: data.length - 10, end: data.length + 1000 })
    expect((await bytesOf(clipped)).equals(data.subarray(data.length - 10))).toBe(true)
    const past = store.read(hash, 'original', { start: data.length, end: data.length + 10 })
    await expect(past).rejects.toBeInstanceOf(UnsatisfiableRangeError)
    await expect(past).rejects.toMatchObject({ size: data.length })
  })

  it('stores a stream, and answers null for what is not there', async () => {
    const hash = newHash()
    await store.put(hash, 'logs/ffmpeg.log', Readable.from([Buffer.from('frame=1\n'), Buffer.from('frame=2\n')]))
    expect(await text((await store.read(hash, 'logs/ffmpeg.log'))!.body)).toBe('frame=1\nframe=2\n')
    expect(await store.head(hash, 'nope')).toBeNull()
    expect(await store.read(hash, 'nope')).toBeNull()
    expect(await store.has(hash)).toBe(false)
  })

  it('refuses names that would leave the hash', async () => {
    const hash = newHash()
    for (const bad of ['../x', 'a/../../b', '/abs', 'a//b', '']) {
      await expect(store.put(hash, bad, Readable.from(['x']))).rejects.toThrow(/not a stored file name/)
    }
    await expect(store.head('not-a-hash', 'original')).rejects.toThrow(/not a content hash/)
  })

  it('imports an original once: the temp file is gone, a second import of the same hash is a no-op', async () => {
    const hash = newHash()
    const first = await scratchFile(data)
    expect(await store.importOriginal(first, hash)).toBe(true)
    expect(existsSync(first)).toBe(false)
    expect(await store.has(hash)).toBe(true)
    const again = await scratchFile(randomBytes(10))
    expect(await store.importOriginal(again, hash)).toBe(false)
    expect(existsSync(again)).toBe(false)
    expect(sha(await bytesOf(await store.read(hash, 'original')))).toBe(sha(data))
  })

  it('lists and removes everything under one hash, and nothing under another', async () => {
    const [hash, other] = [newHash(), newHash()]
    const names = ['original', 'manifest.mpd', 'streams/0/init-0.m4s', 'streams/1/seg-1-00001.m4s', 'thumbs/0001.jpg']
    for (const n of names) await store.put(hash, n, Readable.from([Buffer.from(n)]))
    await store.put(other, 'original', Readable.from([Buffer.from('keep')]))
    const listed = await store.list(hash)
    expect(listed.map((e) => e.relPath).sort()).toEqual([...names].sort())
    expect(listed.find((e) => e.relPath === 'manifest.mpd')?.size).toBe('manifest.mpd'.length)
    await store.remove(hash)
    expect(await store.list(hash)).toEqual([])
    expect(await store.has(hash)).toBe(false)
    expect(await store.has(other)).toBe(true)
  })
})

describe('s3 content store only', () => {
  let store: ContentStore
  beforeAll(() => {
    store = s3ContentStore(inject('s3'))
  })

  it('uploads a file over 16 MiB in parts and reads back the same bytes', async () => {
    const hash = newHash()
    const big = randomBytes(20 * 1024 * 1024 + 123)
    await store.put(hash, 'original', await scratchFile(big))
    const head = await store.head(hash, 'original')
    expect(head?.size).toBe(big.length)
    // S3's ETag of a multipart object is `"<md5 of part md5s>-<parts>"`: 8 MiB parts → 3.
    expect(head?.etag).toMatch(/-3"$/)
    expect(sha(await bytesOf(await store.read(hash, 'original')))).toBe(sha(big))
    const across = await store.read(hash, 'original', { start: (8 << 20) - 5, end: (8 << 20) + 4 })
    expect((await bytesOf(across)).equals(big.subarray((8 << 20) - 5, (8 << 20) + 5))).toBe(true)
    await store.remove(hash)
  })

  it('removes more objects than one DeleteObjects call takes', async () => {
    const hash = newHash()
    const names = Array.from({ length: 1005 }, (_, i) => `streams/0/seg-0-${String(i).padStart(5, '0')}.m4s`)
    // 16 at a time, like a worker uploading segments: enough to be quick, not a flood.
    for (let i = 0; i < names.length; i += 16) await Promise.all(names.slice(i, i + 16).map((n) => store.put(hash, n, Readable.from(['s']))))
    expect((await store.list(hash)).length).toBe(1005)
    await store.remove(hash)
    expect(await store.list(hash)).toEqual([])
  })

  it('gives a presigned GET URL that plain fetch can use, and that stops working when tampered with', async () => {
    const hash = newHash()
    const bytes = randomBytes(5000)
    await store.put(hash, 'original', Readable.from([bytes]))
    const url = await store.presignedGetUrl(hash, 'original', { expiresInSeconds: 300, contentType: 'video/mp4' })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    const res = await fetch(url!)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
    const ranged = await fetch(url!, { headers: { range: 'bytes=10-19' } })
    expect(ranged.status).toBe(206)
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true)
    const other = new URL(url!)
    other.pathname = other.pathname.replace(hash, newHash())
    expect((await fetch(other)).status).toBe(403)
  })

  it('keeps keys under S3_PREFIX', async () => {
    const settings = inject('s3')
    const prefixed = s3ContentStore({ ...settings, prefix: 'tenant-a/' })
    const hash = newHash()
    await prefixed.put(hash, 'original', Readable.from(['x']))
    expect(await prefixed.has(hash)).toBe(true)
    expect(await store.has(hash)).toBe(false)
    expect(new URL((await prefixed.presignedGetUrl(hash, 'original', { expiresInSeconds: 60 }))!).pathname).toBe(
      `/${settings.bucket}/tenant-a/${hash}/original`,
    )
    await prefixed.remove(hash)
  })
})
