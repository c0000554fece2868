import { SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { appPlaybackKey } from '@/lib/streaming/app-key'
import { playbackKey, signPlaybackToken } from '@/lib/streaming/tokens'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from './client'

// The access matrix on a private video's original, manifest and a segment, against the running server.
describe('who may read private content bytes', () => {
  let hash: string
  let videoId: string
  let owner: Awaited<ReturnType<typeof userWithKey>>
  let other: Awaited<ReturnType<typeof userWithKey>>
  let admin: Awaited<ReturnType<typeof userWithKey>>
  const files = ['original', 'master.m3u8', 'media_0.m3u8', 'streams/0/init.m4s']

  beforeAll(async () => {
    owner = await userWithKey()
    other = await userWithKey()
    admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const created = await (await uploadMultipart(makeMp4('private.mp4', { seed: 77 }), { title: 'Secret', visibility: 'private' }, owner.auth)).json()
    videoId = created.id
    hash = created.contentHash
    const ready = await waitForStatus(videoId, owner.auth, ['ready', 'failed'])
    expect(ready.status).toBe('ready')
  })

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base()}${path}`, { headers })

  it('lets the owner and an admin read every file, with exact lengths and private caching', async () => {
    for (const who of [owner, admin]) {
      for (const f of files) {
        const res = await get(`/api/v1/content/${hash}/${f}`, who.auth)
        expect(res.status, f).toBe(200)
        const body = Buffer.from(await res.arrayBuffer())
        expect(Number(res.headers.get('content-length'))).toBe(body.length)
        expect(res.headers.get('cache-control')).toMatch(/^private/)
      }
    }
  })

  it('refuses anonymous callers (401) and other users (404) with problem+json, never bytes', async () => {
    for (const f of files) {
      const anon = await get(`/api/v1/content/${hash}/${f}`)
      expect(anon.status).toBe(401)
      expect(anon.headers.get('content-type')).toBe('application/problem+json')
      const stranger = await get(`/api/v1/content/${hash}/${f}`, other.auth)
      expect(stranger.status).toBe(404)
      expect((await stranger.json()).code).toBe('NOT_FOUND')
    }
    expect((await fetch(`${base()}/api/v1/videos/${videoId}`, { headers: other.auth })).status).toBe(404)
  })

  it('opens the content with a minted token carried in the path, so relative manifest URLs work', async () => {
    const minted = await fetch(`${base()}/api/v1/videos/${videoId}/playback-token`, { method: 'POST', headers: owner.auth })
    expect(minted.status).toBe(201)
    const { token, urls } = await minted.json()
    const master = await get(urls.hls)
    expect(master.status).toBe(200)
    const firstPlaylist = (await master.text()).split('\n').find((l) => l.endsWith('.m3u8'))!
    const media = await get(urls.hls.replace('master.m3u8', firstPlaylist))
    expect(media.status).toBe(200)
    const seg = (await media.text()).split('\n').find((l) => l.endsWith('.m4s'))!
    const segment = await get(`/api/v1/content/${hash}/t/${token}/${seg}`, { range: 'bytes=0-99' })
    expect(segment.status).toBe(206)
    expect(segment.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/)
    expect((await segment.arrayBuffer()).byteLength).toBe(100)
    expect((await fetch(`${base()}/api/v1/videos/${videoId}/playback-token`, { method: 'POST', headers: other.auth })).status).toBe(404)
  })

  it('refuses expired (401), forged (401) and other-content (403) tokens', async () => {
    const expired = await new SignJWT({ h: hash })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('reelhouse:playback')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(appPlaybackKey())
    const forged = await signPlaybackToken({ hash, videoId: 'v1', epoch: 0 }, playbackKey('not-the-server-secret-at-all'))
    const otherContent = await signPlaybackToken({ hash: 'f'.repeat(64), videoId: 'v1', epoch: 0 }, appPlaybackKey())
    for (const f of files) {
      expect((await get(`/api/v1/content/${hash}/t/${expired}/${f}`)).status).toBe(401)
      expect((await get(`/api/v1/content/${hash}/t/${forged}/${f}`)).status).toBe(401)
      expect((await get(`/api/v1/content/${hash}/t/${otherContent}/${f}`)).status).toBe(403)
      expect((await get(`/api/v1/content/${hash}/t/not.a.token/${f}`)).status).toBe(401)
    }
  })

  it('resolves only real hashes and known paths', async () => {
    // (A literal `..` is normalised away by the client before it is sent; the encoded forms are not.)
    for (const p of [`${hash}/%2e%2e/original`, `${hash}/meta.json`, `${hash}/streams/0/..%2F..%2Foriginal`, `${'0'.repeat(63)}/original`]) {
      const res = await get(`/api/v1/content/${p}`, admin.auth)
      // 404 from the file resolver, or 422 from the info route when the client normalised the path away.
      expect([404, 422], p).toContain(res.status)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
  })
})
