import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CORS_MAX_AGE_SECONDS, withCors } from '@/lib/streaming/cors'
import { FRONT_HEADER, FRONT_MODE } from '@/lib/streaming/front'
import { playbackKey, signPlaybackToken, verifyPlaybackToken } from '@/lib/streaming/tokens'
import { type ContentStore, makeContentStore, PRIVATE_HASH, PUBLIC_HASH, patterned, request, startServer, type TestServer } from './helpers'

const KEY = playbackKey('unit-test-secret-0123456789')
const PARTNER = 'http://partner.test:8081'
const STRANGER = 'https://stranger.test'
const EXPOSED = 'Content-Range, Content-Length, Accept-Ranges, ETag'

let store: ContentStore
let server: TestServer
let token: string

beforeAll(async () => {
  store = await makeContentStore()
  await store.put(PUBLIC_HASH, 'streams/0/seg-00001.m4s', patterned(5000))
  await store.put(PRIVATE_HASH, 'master.m3u8', Buffer.from('#EXTM3U\n'))
  token = await signPlaybackToken({ hash: PRIVATE_HASH, videoId: 'v1', epoch: 0, ttlSeconds: 600 }, KEY)
  server = await startServer({
    dataDir: store.dataDir,
    authorize: async ({ hash, token }) => {
      if (hash !== PRIVATE_HASH) return 'public'
      await verifyPlaybackToken(token, hash, KEY)
      return 'private'
    },
    cors: { privateOrigins: [PARTNER] },
  })
})

afterAll(async () => {
  await server?.close()
  await store?.remove()
})

const publicSegment = () => `${server.url}/api/v1/content/${PUBLIC_HASH}/streams/0/seg-00001.m4s`
const privateManifest = (withToken = true) => `${server.url}/api/v1/content/${PRIVATE_HASH}${withToken ? `/t/${token}` : ''}/master.m3u8`
const preflight = (url: string, origin: string) =>
  request(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' } })

describe('public media', () => {
  it('may be read from any origin, without credentials, with the range headers exposed', async () => {
    for (const headers of [{ Origin: STRANGER }, {}] as Record<string, string>[]) {
      const r = await request(publicSegment(), { headers: { ...headers, Range: 'bytes=0-99' } })
      expect(r.status).toBe(206)
      expect(r.headers['access-control-allow-origin']).toBe('*')
      expect(r.headers['access-control-expose-headers']).toBe(EXPOSED)
      expect(r.headers['access-control-allow-credentials']).toBeUndefined()
      // One answer for every origin: a shared cache may keep it.
      expect(r.headers.vary ?? '').not.toMatch(/origin/i)
    }
  })

  it('shows a player its 416 and 404 too', async () => {
    const unsatisfiable = await request(publicSegment(), { headers: { Origin: STRANGER, Range: 'bytes=99999-' } })
    expect(unsatisfiable.status).toBe(416)
    expect(unsatisfiable.headers['access-control-allow-origin']).toBe('*')
    const missing = await request(`${server.url}/api/v1/content/${PUBLIC_HASH}/streams/0/seg-00099.m4s`, { headers: { Origin: STRANGER } })
    expect(missing.status).toBe(404)
    expect(missing.headers['access-control-allow-origin']).toBe('*')
  })

  it('answers a Range preflight with 204, GET and HEAD, the Range header and a max age', async () => {
    const r = await preflight(publicSegment(), STRANGER)
    expect(r.status).toBe(204)
    expect(r.body.length).toBe(0)
    expect(r.headers['access-control-allow-origin']).toBe('*')
    expect(r.headers['access-control-allow-methods']).toBe('GET, HEAD')
    expect(r.headers['access-control-allow-headers']).toBe('Range')
    expect(r.headers['access-control-max-age']).toBe(String(CORS_MAX_AGE_SECONDS))
    expect(r.headers.allow).toBe('GET, HEAD, OPTIONS')
  })

  it('carries the CORS headers in the answer for the nginx front too', async () => {
    const r = await request(publicSegment(), { headers: { Origin: STRANGER, [FRONT_HEADER]: FRONT_MODE } })
    expect(r.headers['x-accel-redirect']).toBeTruthy()
    expect(r.headers['access-control-allow-origin']).toBe('*')
    expect(r.headers['access-control-expose-headers']).toBe(EXPOSED)
  })
})

describe('private media (playback token in the URL)', () => {
  it('may be read by a listed origin only, echoed back with Vary: Origin', async () => {
    const partner = await request(privateManifest(), { headers: { Origin: PARTNER } })
    expect(partner.status).toBe(200)
    expect(partner.headers['access-control-allow-origin']).toBe(PARTNER)
    expect(partner.headers['access-control-expose-headers']).toBe(EXPOSED)
    expect(partner.headers['access-control-allow-credentials']).toBeUndefined()
    expect(partner.headers.vary).toMatch(/\bOrigin\b/)

    const stranger = await request(privateManifest(), { headers: { Origin: STRANGER } })
    expect(stranger.status).toBe(200) // the token holder may still fetch it; the stranger's page cannot read it
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined()
    expect(stranger.headers.vary).toMatch(/\bOrigin\b/)
  })

  it('answers preflights for the listed origin only, and none without a token', async () => {
    const partner = await preflight(privateManifest(), PARTNER)
    expect(partner.status).toBe(204)
    expect(partner.headers['access-control-allow-origin']).toBe(PARTNER)
    expect(partner.headers['access-control-allow-headers']).toBe('Range')

    const stranger = await preflight(privateManifest(), STRANGER)
    expect(stranger.status).toBe(204)
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined()
    expect(stranger.headers['access-control-allow-methods']).toBeUndefined()

    const anonymous = await preflight(privateManifest(false), PARTNER)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses a request without a token with no CORS grant', async () => {
    const r = await request(privateManifest(false), { headers: { Origin: PARTNER } })
    expect(r.status).toBe(401)
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('withCors', () => {
  it('extends a Vary already there', () => {
    expect(withCors({ Vary: 'Accept-Encoding', ETag: '"x"' }, { Vary: 'Origin' })).toEqual({ Vary: 'Accept-Encoding, Origin', ETag: '"x"' })
    expect(withCors({ ETag: '"x"' }, {})).toEqual({ ETag: '"x"' })
  })
})
