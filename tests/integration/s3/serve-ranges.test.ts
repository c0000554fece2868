import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ContentStore } from '@/lib/content/store'
import { s3ContentStore } from '@/lib/content/store/s3'
import { request, startServer, type TestServer } from '../../unit/streaming/helpers'

// Files of content whose bytes live in the bucket (the original, a segment), through a real HTTP
// server running the node's media handler: RFC 9110 answers from the object's own size and ETag.
describe.each([
  { relPath: 'original', type: 'video/mp4' },
  { relPath: 'streams/0/seg-00001.m4s', type: 'video/iso.segment' },
])('serving an S3-stored $relPath through the node', ({ relPath, type }) => {
  const hash = randomBytes(32).toString('hex')
  const bytes = randomBytes(300_000)
  let store: ContentStore
  let server: TestServer
  let dataDir: string
  let url: string

  beforeAll(async () => {
    store = s3ContentStore(inject('s3'))
    await store.put(hash, relPath, Readable.from([bytes]))
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-serve-s3-'))
    server = await startServer({ authorize: async () => 'public', store, dataDir, describeOriginal: async () => ({ type: 'video/mp4' }) })
    url = `${server.url}/api/v1/content/${hash}/${relPath}`
  })
  afterAll(async () => {
    await server?.close()
    await store.remove(hash)
    await rm(dataDir, { recursive: true, force: true })
  })

  it('answers a whole GET with the bytes, exact Content-Length and the object ETag', async () => {
    const head = await store.head(hash, relPath)
    const r = await request(url)
    expect(r.status).toBe(200)
    expect(r.headers['content-length']).toBe(String(bytes.length))
    expect(r.headers['content-type']).toBe(type)
    expect(r.headers['accept-ranges']).toBe('bytes')
    expect(r.headers.etag).toBe(head?.etag)
    expect(r.body.equals(bytes)).toBe(true)
    expect(existsSync(path.join(dataDir, 'content'))).toBe(false)
  })

  it('answers bytes=a-b and bytes=-N with 206 and the right slice', async () => {
    const mid = await request(url, { headers: { range: 'bytes=1000-1999' } })
    expect(mid.status).toBe(206)
    expect(mid.headers['content-range']).toBe(`bytes 1000-1999/${bytes.length}`)
    expect(mid.body.equals(bytes.subarray(1000, 2000))).toBe(true)
    const tail = await request(url, { headers: { range: 'bytes=-777' } })
    expect(tail.status).toBe(206)
    expect(tail.headers['content-range']).toBe(`bytes ${bytes.length - 777}-${bytes.length - 1}/${bytes.length}`)
    expect(tail.body.equals(bytes.subarray(bytes.length - 777))).toBe(true)
  })

  it('answers a range past the end with 416 and the size', async () => {
    const r = await request(url, { headers: { range: `bytes=${bytes.length}-` } })
    expect(r.status).toBe(416)
    expect(r.headers['content-range']).toBe(`bytes */${bytes.length}`)
  })

  it('honours If-Range: the current ETag gets the range, another gets the whole object', async () => {
    const etag = (await request(url, { method: 'HEAD' })).headers.etag as string
    const same = await request(url, { headers: { range: 'bytes=0-9', 'if-range': etag } })
    expect(same.status).toBe(206)
    expect(same.body.equals(bytes.subarray(0, 10))).toBe(true)
    const other = await request(url, { headers: { range: 'bytes=0-9', 'if-range': '"something-else"' } })
    expect(other.status).toBe(200)
    expect(other.body.length).toBe(bytes.length)
  })

  it('answers If-None-Match with 304, HEAD with the length and no body', async () => {
    const head = await request(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe(String(bytes.length))
    expect(head.body.length).toBe(0)
    expect((await request(url, { headers: { 'if-none-match': head.headers.etag as string } })).status).toBe(304)
  })

  it('answers two ranges with multipart/byteranges', async () => {
    const r = await request(url, { headers: { range: 'bytes=0-4,200000-200004' } })
    expect(r.status).toBe(206)
    expect(r.headers['content-type']).toMatch(/^multipart\/byteranges; boundary=/)
    expect(r.headers['content-length']).toBe(String(r.body.length))
    const text = r.body.toString('latin1')
    expect(text).toContain(`Content-Range: bytes 0-4/${bytes.length}`)
    expect(text).toContain(`Content-Range: bytes 200000-200004/${bytes.length}`)
    expect(r.body.includes(bytes.subarray(200000, 200005))).toBe(true)
  })

  it('answers 404 problem+json for a file that is not in the bucket', async () => {
    const r = await request(`${server.url}/api/v1/content/${randomBytes(32).toString('hex')}/${relPath}`)
    expect(r.status).toBe(404)
    expect(r.headers['content-type']).toBe('application/problem+json')
  })
})
