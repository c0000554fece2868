import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors/app-error'
import { FRONT_HEADER, FRONT_MODE, FRONT_PUBLIC_AUTH_TTL_S, FRONT_STORED_PREFIX } from '@/lib/streaming/front'
import { type ContentStore, makeContentStore, PRIVATE_HASH, PUBLIC_HASH, patterned, request, startServer, type TestServer } from './helpers'

// The app's side of the nginx front: for requests the front marks, an authorized media request is
// answered with headers and an X-Accel-Redirect instead of the bytes; everyone else gets the bytes.
const front = { [FRONT_HEADER]: FRONT_MODE }
const LIVE_HASH = 'ef'.repeat(32)

describe('media answers for the nginx front', () => {
  let store: ContentStore
  let server: TestServer
  let original: Buffer

  beforeAll(async () => {
    store = await makeContentStore()
    original = await store.put(PUBLIC_HASH, 'original', patterned(5000))
    await store.put(PUBLIC_HASH, 'streams/0/seg-00001.m4s', patterned(100))
    await store.put(PRIVATE_HASH, 'master.m3u8', Buffer.from('#EXTM3U\n'))
    await store.put(LIVE_HASH, '.partial/media_0.m3u8', Buffer.from('#EXTM3U\n'))
    await store.put(LIVE_HASH, 'media_1.m3u8', Buffer.from('#EXTM3U\n'))
    server = await startServer({
      dataDir: store.dataDir,
      authorize: async ({ hash, req }) => {
        if (hash === PRIVATE_HASH && req.headers.authorization !== 'Bearer owner') throw new AppError('UNAUTHENTICATED', 'Sign in.')
        return hash === PRIVATE_HASH ? 'private' : 'public'
      },
      describeOriginal: async () => ({ type: 'video/quicktime', filename: 'clip.mov' }),
    })
  })
  afterAll(async () => {
    await server?.close()
    await store?.remove()
  })

  const url = (hash: string, rel: string) => `${server.url}/api/v1/content/${hash}/${rel}`

  it('points the front at the file, with the type the app decided and no body', async () => {
    const r = await request(url(PUBLIC_HASH, 'original'), { headers: { ...front, range: 'bytes=0-9' } })
    expect(r.status).toBe(200)
    expect(r.body.length).toBe(0)
    const target = String(r.headers['x-accel-redirect'])
    expect(target).toBe(`${FRONT_STORED_PREFIX}${PUBLIC_HASH.slice(0, 2)}/${PUBLIC_HASH}/original`)
    // The front's internal location maps the prefix onto DATA_DIR/content: the same file.
    const onDisk = path.join(store.dataDir, 'content', target.slice(FRONT_STORED_PREFIX.length))
    expect(await readFile(onDisk)).toEqual(original)
    expect(r.headers['content-type']).toBe('video/quicktime')
    expect(r.headers['content-disposition']).toContain('clip.mov')
    expect(r.headers['cache-control']).toMatch(/^public/)
    expect(r.headers['x-accel-expires']).toBe(String(FRONT_PUBLIC_AUTH_TTL_S))
    const seg = await request(url(PUBLIC_HASH, 'streams/0/seg-00001.m4s'), { headers: front })
    expect(seg.headers['content-type']).toBe('video/iso.segment')
  })

  it('still sends the bytes itself to a request that did not come through the front', async () => {
    const r = await request(url(PUBLIC_HASH, 'original'), { headers: { range: 'bytes=0-9' } })
    expect(r.status).toBe(206)
    expect(r.body).toEqual(original.subarray(0, 10))
    expect(r.headers['x-accel-redirect']).toBeUndefined()
    const other = await request(url(PUBLIC_HASH, 'original'), { headers: { [FRONT_HEADER]: 'anything-else' } })
    expect(other.body).toEqual(original)
  })

  it('authorizes before pointing anywhere, and never lets the front keep a private answer', async () => {
    const anonymous = await request(url(PRIVATE_HASH, 'master.m3u8'), { headers: front })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers['x-accel-redirect']).toBeUndefined()
    const owner = await request(url(PRIVATE_HASH, 'master.m3u8'), { headers: { ...front, authorization: 'Bearer owner' } })
    expect(owner.headers['x-accel-redirect']).toBeDefined()
    expect(owner.headers['x-accel-expires']).toBe('0')
    expect(owner.headers['cache-control']).toMatch(/^private/)
  })

  it('never lets the front keep a growing playlist, and follows one that moved to its final place', async () => {
    const live = await request(url(LIVE_HASH, '.partial/media_0.m3u8'), { headers: front })
    expect(live.headers['x-accel-redirect']).toBe(`${FRONT_STORED_PREFIX}ef/${LIVE_HASH}/.partial/media_0.m3u8`)
    expect(live.headers['x-accel-expires']).toBe('0')
    expect(live.headers['cache-control']).toBe('no-cache')
    const moved = await request(url(LIVE_HASH, '.partial/media_1.m3u8'), { headers: front })
    expect(moved.headers['x-accel-redirect']).toBe(`${FRONT_STORED_PREFIX}ef/${LIVE_HASH}/media_1.m3u8`)
    const missing = await request(url(LIVE_HASH, '.partial/media_2.m3u8'), { headers: front })
    expect(missing.status).toBe(404)
    expect(missing.headers['x-accel-redirect']).toBeUndefined()
  })

  it('agrees with the nginx template on the header and the internal location', async () => {
    const conf = await readFile(path.resolve('deploy/nginx/reelhouse.conf'), 'utf8')
    expect(conf).toContain(`proxy_set_header ${FRONT_HEADER.replace(/(^|-)([a-z])/g, (_m, d, c) => d + c.toUpperCase())} ${FRONT_MODE};`)
    expect(conf).toContain(`location ${FRONT_STORED_PREFIX} {`)
  })
})
