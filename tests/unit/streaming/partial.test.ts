import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeContentStore, PUBLIC_HASH, patterned, startServer, type ContentStore, type TestServer } from './helpers'

// Outputs of a running encode (`.partial/`) are served uncached, and keep working after the
// encode moves them to their final place.
describe('growing playlists of a running encode', () => {
  let store: ContentStore
  let server: TestServer
  beforeAll(async () => {
    store = await makeContentStore()
    server = await startServer({ authorize: async () => 'public', dataDir: store.dataDir })
  })
  afterAll(async () => {
    await server.close()
    await store.remove()
  })

  it('serves .partial files with no-cache, never immutable', async () => {
    const body = await store.put(PUBLIC_HASH, '.partial/master.m3u8', Buffer.from('#EXTM3U\n'))
    const res = await fetch(`${server.url}/api/v1/content/${PUBLIC_HASH}/.partial/master.m3u8`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(body)
  })

  it('falls back to the final location once the work directory is gone', async () => {
    const seg = await store.put(PUBLIC_HASH, 'streams/0/seg-00002.m4s', patterned(5000))
    const res = await fetch(`${server.url}/api/v1/content/${PUBLIC_HASH}/.partial/streams/0/seg-00002.m4s`, { headers: { range: 'bytes=10-19' } })
    expect(res.status).toBe(206)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(seg.subarray(10, 20))
    const missing = await fetch(`${server.url}/api/v1/content/${PUBLIC_HASH}/.partial/streams/0/seg-00009.m4s`)
    expect(missing.status).toBe(404)
  })

  it('still refuses traversal out of the work directory', async () => {
    const res = await fetch(`${server.url}/api/v1/content/${PUBLIC_HASH}/.partial/..%2Foriginal`)
    expect(res.status).toBe(404)
  })
})
