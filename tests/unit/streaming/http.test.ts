import { stat, utimes } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentDir } from '@/lib/content/paths'
import { AppError } from '@/lib/errors/app-error'
import { MAX_MULTIPART_RANGES } from '@/lib/streaming/serve-file'
import { playbackKey, signPlaybackToken, verifyPlaybackToken } from '@/lib/streaming/tokens'
import { type ContentStore, makeContentStore, PRIVATE_HASH, PUBLIC_HASH, patterned, type Reply, request, startServer, type TestServer } from './helpers'

const KEY = playbackKey('unit-test-secret-0123456789')
const SIZE = 100_000
const MTIME = new Date('2024-03-01T12:34:56.000Z')

let store: ContentStore
let server: TestServer
let original: Buffer

const fileUrl = (relPath: string, hash = PUBLIC_HASH) => `${server.url}/api/v1/content/${hash}/${relPath}`
const get = (relPath: string, headers: Record<string, string> = {}) => request(fileUrl(relPath), { headers })
const head = (relPath: string, headers: Record<string, string> = {}) => request(fileUrl(relPath), { method: 'HEAD', headers })

beforeAll(async () => {
  store = await makeContentStore()
  original = await store.put(PUBLIC_HASH, 'original', patterned(SIZE))
  await utimes(path.join(contentDir(PUBLIC_HASH, store.dataDir), 'original'), MTIME, MTIME)
  await store.put(PUBLIC_HASH, 'manifest.mpd', Buffer.from('<MPD/>'))
  await store.put(PUBLIC_HASH, 'master.m3u8', Buffer.from('#EXTM3U\nmedia_0.m3u8\n'))
  await store.put(PUBLIC_HASH, 'media_0.m3u8', Buffer.from('#EXTM3U\n'))
  await store.put(PUBLIC_HASH, 'thumbs/storyboard.vtt', Buffer.from('WEBVTT\n'))
  await store.put(PUBLIC_HASH, 'meta.json', Buffer.from('{}'))
  await store.put(PUBLIC_HASH, 'streams/0/init.m4s', patterned(1000, 1))
  await store.put(PUBLIC_HASH, 'streams/0/seg-00001.m4s', patterned(5000, 2))
  await store.put(PUBLIC_HASH, 'streams/0/.seg-00002.m4s.tmp', patterned(10, 3))
  await store.put(PUBLIC_HASH, 'streams/2/seg-00001.m4s', Buffer.alloc(0))
  await store.put(PUBLIC_HASH, 'streams/1/seg-00001.m4s', patterned(10, 4))
  await store.put(PUBLIC_HASH, 'thumbs/poster.jpg', patterned(10, 5))
  await store.put(PUBLIC_HASH, 'thumbs/storyboard.jpg', patterned(10, 6))
  await store.put(PRIVATE_HASH, 'master.m3u8', Buffer.from('#EXTM3U\nmedia_0.m3u8\n'))

  server = await startServer({
    dataDir: store.dataDir,
    authorize: async ({ hash, token }) => {
      if (hash !== PRIVATE_HASH) return 'public'
      await verifyPlaybackToken(token, hash, KEY)
      return 'private'
    },
    describeOriginal: async () => ({ type: 'video/mp4', filename: 'Holiday in Zürich "2024".mp4' }),
  })
})

afterAll(async () => {
  await server?.close()
  await store?.remove()
})

function expectEntityHeaders(reply: Reply) {
  expect(reply.headers['accept-ranges']).toBe('bytes')
  expect(reply.headers['x-content-type-options']).toBe('nosniff')
  expect(reply.headers.etag).toMatch(/^"[A-Za-z0-9_-]+-[0-9a-f]+-[0-9a-z]+"$/)
  expect(reply.headers['last-modified']).toBe(MTIME.toUTCString())
  expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable')
}

describe('whole file', () => {
  it('answers GET with 200, the exact bytes and every entity header', async () => {
    const r = await get('original')
    expect(r.status).toBe(200)
    expect(r.body.equals(original)).toBe(true)
    expect(r.headers['content-length']).toBe(String(SIZE))
    expect(r.headers['content-type']).toBe('video/mp4')
    expect(r.headers['content-range']).toBeUndefined()
    expect(r.headers['content-disposition']).toBe(
      `inline; filename="Holiday in Z_rich _2024_.mp4"; filename*=UTF-8''Holiday%20in%20Z%C3%BCrich%20%222024%22.mp4`,
    )
    expectEntityHeaders(r)
  })

  it('answers HEAD with the same headers as GET and no body', async () => {
    const g = await get('original')
    const h = await head('original')
    expect(h.status).toBe(200)
    expect(h.body.length).toBe(0)
    const { date: _g, ...getHeaders } = g.headers
    const { date: _h, ...headHeaders } = h.headers
    expect(headHeaders).toEqual(getHeaders)
  })

  it('ignores Range on HEAD', async () => {
    const h = await head('original', { range: 'bytes=0-9' })
    expect(h.status).toBe(200)
    expect(h.headers['content-length']).toBe(String(SIZE))
    expect(h.headers['content-range']).toBeUndefined()
  })

  it('gives the same ETag to every request and a different one to another file', async () => {
    const a = await head('original')
    const b = await head('original')
    const c = await head('streams/0/init.m4s')
    expect(a.headers.etag).toBe(b.headers.etag)
    expect(c.headers.etag).not.toBe(a.headers.etag)
  })

  it('serves an empty file as 200 with Content-Length 0', async () => {
    const r = await get('streams/2/seg-00001.m4s')
    expect(r.status).toBe(200)
    expect(r.headers['content-length']).toBe('0')
    expect(r.body.length).toBe(0)
  })
})

describe('single ranges', () => {
  const cases: [string, number, number][] = [
    ['bytes=0-99', 0, 99],
    ['bytes=100-', 100, SIZE - 1],
    ['bytes=-500', SIZE - 500, SIZE - 1],
    [`bytes=-${SIZE + 1000}`, 0, SIZE - 1], // suffix longer than the file: all of it
    ['bytes=99990-999999999', 99990, SIZE - 1], // last-pos past the end is clamped
    ['BYTES=0-1', 0, 1], // the unit is case-insensitive
    ['bytes= 10-19 ', 10, 19],
    [`bytes=${SIZE - 1}-${SIZE - 1}`, SIZE - 1, SIZE - 1],
  ]
  it.each(cases)('%s → 206 bytes %i-%i', async (range, start, end) => {
    const r = await get('original', { range })
    expect(r.status).toBe(206)
    expect(r.headers['content-range']).toBe(`bytes ${start}-${end}/${SIZE}`)
    expect(r.headers['content-length']).toBe(String(end - start + 1))
    expect(r.headers['content-type']).toBe('video/mp4')
    expect(r.body.equals(original.subarray(start, end + 1))).toBe(true)
    expectEntityHeaders(r)
  })

  it('coalesces overlapping ranges into one 206', async () => {
    const r = await get('original', { range: 'bytes=0-9,5-19,20-29' })
    expect(r.status).toBe(206)
    expect(r.headers['content-range']).toBe(`bytes 0-29/${SIZE}`)
    expect(r.body.equals(original.subarray(0, 30))).toBe(true)
  })
})

describe('unsatisfiable and ignored ranges', () => {
  it.each([`bytes=${SIZE}-`, `bytes=${SIZE}-${SIZE + 10}`, 'bytes=-0'])('%s → 416 bytes */SIZE', async (range) => {
    const r = await get('original', { range })
    expect(r.status).toBe(416)
    expect(r.headers['content-range']).toBe(`bytes */${SIZE}`)
    expect(r.body.length).toBe(0)
  })

  it.each(['bytes=0-', 'bytes=-5', 'bytes=0-0'])('%s on an empty file → 416 bytes */0', async (range) => {
    const r = await get('streams/2/seg-00001.m4s', { range })
    expect(r.status).toBe(416)
    expect(r.headers['content-range']).toBe('bytes */0')
  })

  it.each(['items=0-9', 'bytes=abc', 'bytes=5-2', 'bytes 0-9', 'bytes=', 'bytes=0-9,x', 'bytes=--5', 'bytes=1-2-3'])(
    '%s → 200 with the whole file',
    async (range) => {
      const r = await get('original', { range })
      expect(r.status).toBe(200)
      expect(r.headers['content-length']).toBe(String(SIZE))
      expect(r.body.equals(original)).toBe(true)
    },
  )
})

describe('multiple ranges', () => {
  function parseMultipart(r: Reply): { headers: Record<string, string>; data: Buffer }[] {
    const boundary = /^multipart\/byteranges; boundary=([0-9a-f]+)$/.exec(r.headers['content-type'] ?? '')?.[1]
    expect(boundary).toBeDefined()
    const text = r.body.toString('latin1')
    expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true)
    const parts = text.slice(0, -`\r\n--${boundary}--\r\n`.length).split(new RegExp(`(?:^|\\r\\n)--${boundary}\\r\\n`))
    return parts.slice(1).map((part) => {
      const split = part.indexOf('\r\n\r\n')
      const headers = Object.fromEntries(
        part
          .slice(0, split)
          .split('\r\n')
          .map((line) => line.split(': ') as [string, string]),
      )
      return { headers, data: Buffer.from(part.slice(split + 4), 'latin1') }
    })
  }

  it('answers disjoint ranges with an exact multipart/byteranges body', async () => {
    const r = await get('original', { range: 'bytes=0-9,500-599,-10' })
    expect(r.status).toBe(206)
    expect(r.headers['content-range']).toBeUndefined()
    expect(r.headers['content-length']).toBe(String(r.body.length))
    const parts = parseMultipart(r)
    expect(parts.map((p) => p.headers['Content-Range'])).toEqual([`bytes 0-9/${SIZE}`, `bytes 500-599/${SIZE}`, `bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`])
    expect(parts.every((p) => p.headers['Content-Type'] === 'video/mp4')).toBe(true)
    expect(parts[0].data.equals(original.subarray(0, 10))).toBe(true)
    expect(parts[1].data.equals(original.subarray(500, 600))).toBe(true)
    expect(parts[2].data.equals(original.subarray(SIZE - 10))).toBe(true)
  })

  it('drops unsatisfiable members of a set and serves the rest', async () => {
    const r = await get('original', { range: `bytes=${SIZE + 5}-,10-19` })
    expect(r.status).toBe(206)
    expect(r.headers['content-range']).toBe(`bytes 10-19/${SIZE}`)
  })

  it(`answers more than ${MAX_MULTIPART_RANGES} disjoint ranges with the whole file`, async () => {
    const many = Array.from({ length: MAX_MULTIPART_RANGES + 1 }, (_, i) => `${i * 100}-${i * 100 + 9}`).join(',')
    const r = await get('original', { range: `bytes=${many}` })
    expect(r.status).toBe(200)
    expect(r.body.equals(original)).toBe(true)
  })
})

describe('conditional requests', () => {
  let etag: string
  beforeAll(async () => {
    etag = (await head('original')).headers.etag as string
  })

  it('If-Range with our strong ETag applies the range', async () => {
    const r = await get('original', { range: 'bytes=0-9', 'if-range': etag })
    expect(r.status).toBe(206)
    expect(r.body.equals(original.subarray(0, 10))).toBe(true)
  })

  it.each([
    ['a weak ETag', () => `W/${etag}`],
    ['another ETag', () => '"something-else"'],
    ['another date', () => new Date(MTIME.getTime() - 1000).toUTCString()],
    ['garbage', () => 'not a validator'],
  ])('If-Range with %s sends the whole file', async (_, value) => {
    const r = await get('original', { range: 'bytes=0-9', 'if-range': value() })
    expect(r.status).toBe(200)
    expect(r.headers['content-length']).toBe(String(SIZE))
  })

  it('If-Range with the exact Last-Modified date applies the range', async () => {
    const r = await get('original', { range: 'bytes=0-9', 'if-range': MTIME.toUTCString() })
    expect(r.status).toBe(206)
  })

  it.each([
    ['the same ETag', () => etag],
    ['its weak form', () => `W/${etag}`],
    ['a list holding it', () => `"x", ${etag}`],
    ['*', () => '*'],
  ])('If-None-Match with %s → 304 without body', async (_, value) => {
    for (const send of [get, head]) {
      const r = await send('original', { 'if-none-match': value(), range: 'bytes=0-9' })
      expect(r.status).toBe(304)
      expect(r.body.length).toBe(0)
      expect(r.headers.etag).toBe(etag)
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(r.headers['content-length']).toBeUndefined()
    }
  })

  it('If-None-Match with another ETag → 200', async () => {
    const r = await get('original', { 'if-none-match': '"other"' })
    expect(r.status).toBe(200)
  })

  it('If-Modified-Since at Last-Modified → 304, unless If-None-Match says otherwise', async () => {
    expect((await get('original', { 'if-modified-since': MTIME.toUTCString() })).status).toBe(304)
    const both = await get('original', { 'if-modified-since': MTIME.toUTCString(), 'if-none-match': '"other"' })
    expect(both.status).toBe(200)
  })

  it('If-Match that fails → 412; with the strong ETag → 200', async () => {
    expect((await get('original', { 'if-match': '"other"' })).status).toBe(412)
    expect((await get('original', { 'if-match': `W/${etag}` })).status).toBe(412)
    expect((await get('original', { 'if-match': etag })).status).toBe(200)
  })

  it('If-Unmodified-Since before Last-Modified → 412, at it → 200; If-Match takes precedence', async () => {
    const before = new Date(MTIME.getTime() - 1000).toUTCString()
    expect((await get('original', { 'if-unmodified-since': before })).status).toBe(412)
    expect((await get('original', { 'if-unmodified-since': MTIME.toUTCString() })).status).toBe(200)
    expect((await get('original', { 'if-unmodified-since': before, 'if-match': etag })).status).toBe(200)
  })
})

describe('content types', () => {
  it.each([
    ['manifest.mpd', 'application/dash+xml'],
    ['master.m3u8', 'application/vnd.apple.mpegurl'],
    ['media_0.m3u8', 'application/vnd.apple.mpegurl'],
    ['thumbs/storyboard.vtt', 'text/vtt'],
    ['streams/0/init.m4s', 'video/iso.segment'],
    ['streams/0/seg-00001.m4s', 'video/iso.segment'],
    ['streams/1/seg-00001.m4s', 'video/iso.segment'],
    ['thumbs/poster.jpg', 'image/jpeg'],
    ['thumbs/storyboard.jpg', 'image/jpeg'],
  ])('%s → %s', async (relPath, type) => {
    const r = await get(relPath)
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe(type)
    // Bytes of a type we do not know are only ever downloaded.
    const kind = type === 'application/octet-stream' ? 'attachment' : 'inline'
    expect(r.headers['content-disposition']).toBe(`${kind}; filename="${path.posix.basename(relPath)}"; filename*=UTF-8''${path.posix.basename(relPath)}`)
    expect(r.headers['content-security-policy']).toBe("sandbox; default-src 'none'")
  })

  it('serves a segment range byte-exact', async () => {
    const seg = patterned(5000, 2)
    const r = await get('streams/0/seg-00001.m4s', { range: 'bytes=4000-' })
    expect(r.status).toBe(206)
    expect(r.body.equals(seg.subarray(4000))).toBe(true)
  })
})

describe('not found and refused paths', () => {
  it.each([
    'streams/0/seg-00099.m4s',
    'streams/0', // a directory
    'video/720p/init.mp4', // a tree the pipeline never writes
    'meta.json',
    'streams/0/.seg-00002.m4s.tmp',
    'streams/../original',
    'streams/%2e%2e/original',
    'streams%2F0%2Finit.m4s',
    'streams/0\\init.m4s',
    'streams//0/init.m4s',
    'logs/ffmpeg.log',
    'nothing',
    't/',
  ])('%s → 404 problem+json', async (relPath) => {
    const r = await get(relPath)
    expect(r.status).toBe(404)
    expect(r.headers['content-type']).toBe('application/problem+json')
    expect(JSON.parse(r.body.toString())).toMatchObject({ status: 404, code: 'NOT_FOUND' })
  })

  it('leaves URLs that are not content files to the next handler', async () => {
    for (const url of [
      `/api/v1/content/${PUBLIC_HASH}`,
      `/api/v1/content/${PUBLIC_HASH}/`,
      `/api/v1/content/${PUBLIC_HASH}/info`,
      `/api/v1/content/${PUBLIC_HASH}/info?x=1`,
      '/api/v1/content/not-a-hash/original',
      '/api/v1/videos',
      '/',
    ]) {
      const r = await request(`${server.url}${url}`)
      expect(r.status, url).toBe(418)
    }
  })

  it('refuses other methods with 405 and Allow', async () => {
    const r = await request(fileUrl('original'), { method: 'POST' })
    expect(r.status).toBe(405)
    expect(r.headers.allow).toBe('GET, HEAD, OPTIONS')
    expect(r.headers['content-type']).toBe('application/problem+json')
  })

  it('ignores the query string', async () => {
    const r = await request(`${fileUrl('manifest.mpd')}?v=1`)
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe('<MPD/>')
  })
})

describe('private content through a playback token', () => {
  const tokenUrl = (token: string, relPath = 'master.m3u8', hash = PRIVATE_HASH) => `${server.url}/api/v1/content/${hash}/t/${token}/${relPath}`

  it('serves with a valid token and private caching', async () => {
    const token = await signPlaybackToken({ hash: PRIVATE_HASH, videoId: 'v1', epoch: 0, userId: 'u1' }, KEY)
    const r = await request(tokenUrl(token))
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe('#EXTM3U\nmedia_0.m3u8\n')
    expect(r.headers['cache-control']).toBe('private, max-age=300')
  })

  it('answers 401 without a token and with a forged one', async () => {
    const noToken = await request(`${server.url}/api/v1/content/${PRIVATE_HASH}/master.m3u8`)
    expect(noToken.status).toBe(401)
    expect(noToken.headers['content-type']).toBe('application/problem+json')
    const forged = await signPlaybackToken({ hash: PRIVATE_HASH, videoId: 'v1', epoch: 0 }, playbackKey('some-other-secret-0123456'))
    const r = await request(tokenUrl(forged))
    expect(r.status).toBe(401)
    expect(JSON.parse(r.body.toString())).toMatchObject({ code: 'UNAUTHENTICATED' })
  })

  it('answers 403 for a token made for other content', async () => {
    const token = await signPlaybackToken({ hash: PUBLIC_HASH, videoId: 'v1', epoch: 0 }, KEY)
    const r = await request(tokenUrl(token))
    expect(r.status).toBe(403)
  })

  it('propagates an AppError thrown by authorize', async () => {
    const denying = await startServer({
      dataDir: store.dataDir,
      authorize: async () => {
        throw new AppError('NOT_FOUND', 'No such content.')
      },
    })
    try {
      const r = await request(`${denying.url}/api/v1/content/${PUBLIC_HASH}/original`)
      expect(r.status).toBe(404)
      expect(JSON.parse(r.body.toString())).toMatchObject({ detail: 'No such content.' })
    } finally {
      await denying.close()
    }
  })
})

describe('validators follow the file', () => {
  it('Last-Modified is the file mtime to the second', async () => {
    const s = await stat(path.join(contentDir(PUBLIC_HASH, store.dataDir), 'original'))
    const r = await head('original')
    expect(Date.parse(r.headers['last-modified'] as string)).toBe(Math.floor(s.mtimeMs / 1000) * 1000)
  })

  it('a manifest rewritten with the same size gets a new ETag, so a cached copy is not kept', async () => {
    const file = path.join(contentDir(PUBLIC_HASH, store.dataDir), 'manifest.mpd')
    const first = await head('manifest.mpd')
    await store.put(PUBLIC_HASH, 'manifest.mpd', Buffer.from('<mpd/>'))
    await utimes(file, new Date(MTIME.getTime() + 5000), new Date(MTIME.getTime() + 5000))
    const second = await get('manifest.mpd', { 'if-none-match': first.headers.etag as string })
    expect(second.status).toBe(200)
    expect(second.body.toString()).toBe('<mpd/>')
    expect(second.headers.etag).not.toBe(first.headers.etag)
  })
})
