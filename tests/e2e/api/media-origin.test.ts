import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '@/lib/db/embedded'
import { disconnectDb } from '@/lib/db'
import { runChild, stopChild } from '@/lib/launcher/children'
import { makeMp4, uploadMultipart, userWithKey, waitForStatus } from './client'

// A second web node on the test database, configured with a media origin on another host name.
// Both names reach the same port; the Host header says which origin a request was meant for.

let web: ChildProcess
let port: number
const SITE_HOST = () => `127.0.0.1:${port}`
const MEDIA_HOST = () => `media.test:${port}`
const MEDIA_ORIGIN = () => `http://${MEDIA_HOST()}`

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One request to the node, addressed to `host` (fetch may not set Host itself). */
function get(host: string, pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, method, headers: { ...headers, host } }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (c) => {
        body += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const json = async (host: string, pathname: string, headers: Record<string, string> = {}) => JSON.parse((await get(host, pathname, headers)).body)

beforeAll(async () => {
  port = await freePort()
  web = runChild('web', 'server.ts', {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXTAUTH_URL: `http://${SITE_HOST()}`,
    MEDIA_ORIGIN: MEDIA_ORIGIN(),
    REALTIME_PROCESS: '0',
    LOG_LEVEL: 'warn',
  })
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if ((await get(SITE_HOST(), '/api/v1/health').catch(() => null))?.status === 200) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('the MEDIA_ORIGIN web node did not start')
})

afterAll(async () => {
  if (web) await stopChild(web)
  await disconnectDb()
})

describe('MEDIA_ORIGIN', () => {
  it('points every stream URL at the media origin, where only media is served and private media needs the token', async () => {
    const { auth } = await userWithKey()
    const clip = makeMp4('media-origin.mp4', { seed: 81 })
    const pub = await (await uploadMultipart(clip, { title: 'on the media origin', visibility: 'public' }, auth)).json()
    const priv = await (await uploadMultipart(makeMp4('media-origin-private.mp4', { seed: 82 }), { title: 'private', visibility: 'private' }, auth)).json()
    await waitForStatus(pub.id, auth, ['ready'])

    const view = await json(SITE_HOST(), `/api/v1/videos/${pub.id}`, auth)
    const base = `${MEDIA_ORIGIN()}/api/v1/content/${pub.contentHash}`
    expect(view.playback.direct).toBe(`${base}/original`)
    // The video's own manifests come from the site (they are built from the database); the
    // streams they name are on the media origin.
    expect(view.playback.hls).toBe(`/api/v1/videos/${pub.id}/master.m3u8`)
    const master = await get(SITE_HOST(), view.playback.hls)
    expect(master.status).toBe(200)
    const variants = master.body.split('\n').filter((l) => l && !l.startsWith('#'))
    expect(variants.length).toBeGreaterThan(0)
    for (const uri of variants) expect(uri).toMatch(new RegExp(`^${base}/media_\\d+\\.m3u8$`))
    expect(view.playback.poster).toBe(`${base}/thumbs/poster.jpg`)
    const listed = await json(SITE_HOST(), `/api/v1/videos?q=${encodeURIComponent('on the media origin')}`, auth)
    expect(listed.items.find((i: { id: string }) => i.id === pub.id)?.poster).toBe(`${base}/thumbs/poster.jpg`)

    const privView = await json(SITE_HOST(), `/api/v1/videos/${priv.id}`, auth)
    expect(privView.playback.direct).toMatch(new RegExp(`^${MEDIA_ORIGIN()}/api/v1/content/${priv.contentHash}/t/[^/]+/original$`))
    const minted = JSON.parse((await get(SITE_HOST(), `/api/v1/videos/${priv.id}/playback-token`, auth, 'POST')).body)
    expect(minted.urls.direct).toMatch(new RegExp(`^${MEDIA_ORIGIN()}/api/v1/content/${priv.contentHash}/t/`))

    // The media host serves the files, with the media headers.
    const original = await get(MEDIA_HOST(), new URL(view.playback.direct).pathname, { range: 'bytes=0-9' })
    expect(original.status).toBe(206)
    expect(original.headers['content-type']).toBe('video/mp4')
    expect(original.headers['x-content-type-options']).toBe('nosniff')
    expect(original.headers['content-security-policy']).toBe("sandbox; default-src 'none'")
    expect((await get(MEDIA_HOST(), new URL(privView.playback.direct).pathname, { range: 'bytes=0-9' })).status).toBe(206)
    // Private media without its token is refused there, even with a cookie (it is not the site's to receive).
    const bare = await get(MEDIA_HOST(), `/api/v1/content/${priv.contentHash}/original`, { cookie: 'next-auth.session-token=whatever' })
    expect(bare.status).toBe(401)

    // Pages and the API are not served on the media host; the site keeps serving them.
    for (const pathname of ['/', '/upload', `/videos/${pub.id}`, '/api/v1/videos', '/api/v1/health', `/api/v1/content/${pub.contentHash}/info`, '/metrics']) {
      const r = await get(MEDIA_HOST(), pathname)
      expect(r.status, pathname).toBe(404)
      expect(r.headers['content-type'], pathname).toBe('application/problem+json')
      expect(r.headers['content-security-policy'], pathname).toBe("sandbox; default-src 'none'")
    }
    const handshake = '/socket.io/?EIO=4&transport=polling'
    expect((await get(MEDIA_HOST(), handshake)).status).toBe(403)
    expect((await get(SITE_HOST(), handshake)).status).toBe(200)
    expect((await get(SITE_HOST(), '/api/v1/videos')).status).toBe(200)
    expect((await get(SITE_HOST(), `/api/v1/content/${pub.contentHash}/original`, { range: 'bytes=0-9' })).status).toBe(206)
  })
})
