import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { readEnv } from '@/lib/config/env'
import type { ContentStore } from '@/lib/content/store'
import { s3ContentStore } from '@/lib/content/store/s3'
import type { AccessKind } from '@/lib/streaming/serve-file'
import { storeRedirectPolicy } from '@/lib/streaming/redirect'
import { request, startServer, type TestServer } from '../../unit/streaming/helpers'

// A node answering media requests for content in the bucket with a 302 instead of the bytes, as
// S3_REDIRECT and CDN_BASE_URL ask; the presigned URLs are fetched from the real S3 server.
describe('redirects to the bucket or a CDN', () => {
  const hash = randomBytes(32).toString('hex')
  const original = randomBytes(200_000)
  const segment = randomBytes(50_000)
  let store: ContentStore
  let dataDir: string
  const servers: TestServer[] = []
  const access = new Map<string, AccessKind>()

  const serverWith = async (vars: Record<string, string>) => {
    const e = readEnv({ ...process.env, ...vars })
    const server = await startServer({
      authorize: async ({ hash: h }) => access.get(h) ?? 'public',
      store,
      dataDir,
      redirect: storeRedirectPolicy(e),
      describeOriginal: async () => ({ type: 'video/mp4', filename: 'clip.mp4' }),
    })
    servers.push(server)
    return (rel: string) => `${server.url}/api/v1/content/${hash}/${rel}`
  }

  beforeAll(async () => {
    store = s3ContentStore(inject('s3'))
    await store.put(hash, 'original', Readable.from([original]))
    await store.put(hash, 'streams/0/seg-00001.m4s', Readable.from([segment]))
    await store.put(hash, '.partial/master.m3u8', Readable.from([Buffer.from('#EXTM3U\n')]))
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-s3-redirect-'))
  })
  afterAll(async () => {
    for (const s of servers) await s.close()
    await store.remove(hash)
    await rm(dataDir, { recursive: true, force: true })
  })

  it('S3_REDIRECT=public: public files go to a presigned URL that answers ranges with our type and caching; private ones are streamed', async () => {
    const url = await serverWith({ S3_REDIRECT: 'public' })
    access.set(hash, 'public')
    const r = await request(url('original'))
    expect(r.status).toBe(302)
    expect(r.headers['cache-control']).toBe('no-store')
    const location = r.headers.location as string
    expect(location).toMatch(/X-Amz-Signature=/)
    const ranged = await fetch(location, { headers: { range: 'bytes=100-199' } })
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('content-type')).toBe('video/mp4')
    expect(ranged.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(ranged.headers.get('content-disposition')).toMatch(/^inline/)
    expect(Buffer.from(await ranged.arrayBuffer()).equals(original.subarray(100, 200))).toBe(true)

    access.set(hash, 'private')
    const streamed = await request(url('streams/0/seg-00001.m4s'), { headers: { range: 'bytes=0-9' } })
    expect(streamed.status).toBe(206)
    expect(streamed.body.equals(segment.subarray(0, 10))).toBe(true)
  })

  it('S3_REDIRECT=all: private files too, with a short-lived URL; a running encode’s files never', async () => {
    const url = await serverWith({ S3_REDIRECT: 'all' })
    access.set(hash, 'private')
    const r = await request(url('streams/0/seg-00001.m4s'))
    expect(r.status).toBe(302)
    const location = new URL(r.headers.location as string)
    expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300)
    const got = await fetch(location)
    expect(got.headers.get('content-type')).toBe('video/iso.segment')
    expect(got.headers.get('cache-control')).toBe('private, max-age=300')
    expect(Buffer.from(await got.arrayBuffer()).equals(segment)).toBe(true)
    const live = await request(url('.partial/master.m3u8'))
    expect(live.status).toBe(200)
    expect(live.headers['cache-control']).toBe('no-cache')
  })

  it('CDN_BASE_URL: public files but the original go to the CDN under their object key', async () => {
    const url = await serverWith({ CDN_BASE_URL: 'https://cdn.example.com/media/', S3_PREFIX: 'videos' })
    access.set(hash, 'public')
    const r = await request(url('streams/0/seg-00001.m4s'))
    expect(r.status).toBe(302)
    expect(r.headers.location).toBe(`https://cdn.example.com/media/videos/${hash}/streams/0/seg-00001.m4s`)
    expect((await request(url('original'))).status).toBe(200)
    access.set(hash, 'private')
    expect((await request(url('streams/0/seg-00001.m4s'))).status).toBe(200)
  })

  it('S3_REDIRECT=off and no CDN: no redirect policy at all', () => {
    expect(storeRedirectPolicy(readEnv({ ...process.env, S3_REDIRECT: 'off' }))).toBeUndefined()
  })
})
