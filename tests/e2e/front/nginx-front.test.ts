import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { contentDir } from '@/lib/content/paths'
import { db } from '@/lib/db'
import { CommandsManager } from '@/lib/realtime/commands-manager'
import { connectPlayerSocket } from '@/lib/realtime/connect'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser } from '../browser'
import { expectAdvancing } from '../ui/helpers'
import { type RunningFront, startFront } from './run-front'

// The production front: deploy/nginx/run.sh in front of the running app. The app keeps the access
// rules, nginx sends the media bytes (its own ETags, ranges, 304 and 416), and pages, API and
// socket.io pass through. One front for the whole file.

// nginx's ETag is "<mtime hex>-<size hex>": a response carrying one was sent by nginx, not the app.
const NGINX_ETAG = /^"[0-9a-f]+-[0-9a-f]+"$/
const SANDBOX = "sandbox; default-src 'none'"

describe('the nginx front', () => {
  let front: RunningFront
  let owner: Awaited<ReturnType<typeof userWithKey>>
  let privateVideo: { id: string; hash: string }
  let publicVideo: { id: string; hash: string }
  /** Public content made directly on disk: one file of every kind, and the growing playlists of an encode. */
  const fixture = { hash: createHash('sha256').update(randomBytes(16)).digest('hex'), files: {} as Record<string, Buffer> }
  const fixtureFiles: Record<string, string> = {
    original: 'video/quicktime',
    'manifest.mpd': 'application/dash+xml',
    'master.m3u8': 'application/vnd.apple.mpegurl',
    'media_0.m3u8': 'application/vnd.apple.mpegurl',
    'streams/0/init.m4s': 'video/iso.segment',
    'streams/0/seg-00001.m4s': 'video/iso.segment',
    'thumbs/storyboard.vtt': 'text/vtt',
    'thumbs/poster.jpg': 'image/jpeg',
  }

  /** The public video is uploaded through the front (a streamed multipart body), the private one to the app. */
  const upload = async (name: string, visibility: 'public' | 'private', seed: number) => {
    const clip = makeMp4(name, { seconds: 3, seed })
    const fields = { title: `Front ${visibility}`, visibility }
    const res = visibility === 'public' ? await postVideo(front.url, clip, fields) : await uploadMultipart(clip, fields, owner.auth)
    expect(res.status).toBe(201)
    const created = await res.json()
    const ready = await waitForStatus(created.id, owner.auth, ['ready', 'failed'])
    expect(ready.status).toBe('ready')
    return { id: String(created.id), hash: String(created.contentHash) }
  }

  const postVideo = async (url: string, clip: string, fields: Record<string, string>) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.set(k, v)
    form.set('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), path.basename(clip))
    return fetch(`${url}/api/v1/videos`, { method: 'POST', body: form, headers: owner.auth })
  }

  beforeAll(async () => {
    front = await startFront(base(), inject('dataDir'))
    owner = await userWithKey()
    ;[privateVideo, publicVideo] = await Promise.all([upload('front-private.mp4', 'private', 31), upload('front-public.mp4', 'public', 32)])
    const dir = contentDir(fixture.hash)
    for (const rel of Object.keys(fixtureFiles)) {
      const bytes = randomBytes(rel === 'original' ? 300_000 : 2000)
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
      await writeFile(path.join(dir, rel), bytes)
      fixture.files[rel] = bytes
    }
    await db.content.create({
      data: { hash: fixture.hash, size: 300_000n, mime: 'video/quicktime', state: 'STORED', storedAt: new Date(), durationMs: 1000, width: 320, height: 180 },
    })
    await db.video.create({ data: { ownerId: owner.user.id, title: 'Front fixture', visibility: 'PUBLIC', contentHash: fixture.hash } })
  })
  afterAll(async () => {
    await front?.stop()
    await rm(contentDir(fixture.hash), { recursive: true, force: true })
  })

  const via =
    (url: string) =>
    (p: string, headers: Record<string, string> = {}) =>
      fetch(`${url}${p}`, { headers })
  const content = (hash: string, rel: string) => `/api/v1/content/${hash}/${rel}`
  const onDisk = (hash: string, rel: string) => readFile(path.join(contentDir(hash), rel))

  it('keeps private content private: anonymous 401, another user 404, the owner gets the bytes from nginx', async () => {
    const get = via(front.url)
    const stranger = await userWithKey()
    for (const rel of ['original', 'master.m3u8']) {
      const anonymous = await get(content(privateVideo.hash, rel))
      expect(anonymous.status, rel).toBe(401)
      expect(anonymous.headers.get('content-type')).toBe('application/problem+json')
      expect((await get(content(privateVideo.hash, rel), stranger.auth)).status).toBe(404)
    }
    const bytes = await onDisk(privateVideo.hash, 'original')
    for (let round = 0; round < 2; round++) {
      const r = await get(content(privateVideo.hash, 'original'), { ...owner.auth, range: 'bytes=100-1123' })
      expect(r.status).toBe(206)
      expect(r.headers.get('content-range')).toBe(`bytes 100-1123/${bytes.length}`)
      expect(Buffer.from(await r.arrayBuffer())).toEqual(bytes.subarray(100, 1124))
      expect(r.headers.get('etag')).toMatch(NGINX_ETAG)
      expect(r.headers.get('content-type')).toBe('video/mp4')
      expect(r.headers.get('cache-control')).toMatch(/^private/)
      expect(r.headers.get('x-content-type-options')).toBe('nosniff')
      expect(r.headers.get('content-security-policy')).toBe(SANDBOX)
      // Never cached by the front: the owner's answer does not open the content to anyone else.
      expect((await get(content(privateVideo.hash, 'original'), { range: 'bytes=100-1123' })).status).toBe(401)
    }
  })

  it('opens private content with a playback token in the path', async () => {
    const minted = await fetch(`${front.url}/api/v1/videos/${privateVideo.id}/playback-token`, { method: 'POST', headers: owner.auth })
    expect(minted.status).toBe(201)
    const { urls } = (await minted.json()) as { urls: { hls: string; direct: string } }
    const master = await fetch(`${front.url}${urls.hls}`)
    expect(master.status).toBe(200)
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl')
    expect(await master.text()).toBe((await onDisk(privateVideo.hash, 'master.m3u8')).toString())
    const direct = await fetch(`${front.url}${urls.direct}`, { headers: { range: 'bytes=0-99' } })
    expect(direct.status).toBe(206)
    expect(Buffer.from(await direct.arrayBuffer())).toEqual((await onDisk(privateVideo.hash, 'original')).subarray(0, 100))
    const forged = urls.direct.replace(/\/t\/[^/]+\//, '/t/not-a-token/')
    expect((await fetch(`${front.url}${forged}`)).status).toBe(401)
  })

  it('serves public content from nginx: 200, 206, 416 and 304, with the type of each file kind', async () => {
    const get = via(front.url)
    for (const [rel, type] of Object.entries(fixtureFiles)) {
      const whole = await get(content(fixture.hash, rel))
      expect(whole.status, rel).toBe(200)
      expect(Buffer.from(await whole.arrayBuffer()), rel).toEqual(fixture.files[rel])
      expect(whole.headers.get('content-length')).toBe(String(fixture.files[rel].length))
      expect(whole.headers.get('content-type'), rel).toBe(type)
      expect(whole.headers.get('x-content-type-options')).toBe('nosniff')
      expect(whole.headers.get('content-security-policy')).toBe(SANDBOX)
      expect(whole.headers.get('cache-control')).toMatch(/^public/)
      const etag = whole.headers.get('etag')!
      expect(etag).toMatch(NGINX_ETAG)
      expect((await get(content(fixture.hash, rel), { 'if-none-match': etag })).status, rel).toBe(304)
    }
    const size = fixture.files.original.length
    const part = await get(content(fixture.hash, 'original'), { range: 'bytes=-500' })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes ${size - 500}-${size - 1}/${size}`)
    expect(Buffer.from(await part.arrayBuffer())).toEqual(fixture.files.original.subarray(size - 500))
    const beyond = await get(content(fixture.hash, 'original'), { range: `bytes=${size}-` })
    expect(beyond.status).toBe(416)
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`)
    // Only the front decides: a client's own front header changes nothing.
    const spoofed = await get(content(fixture.hash, 'original'), { 'x-reelhouse-front': 'bytes', range: 'bytes=0-9' })
    expect(spoofed.headers.get('etag')).toMatch(NGINX_ETAG)
    expect(Buffer.from(await spoofed.arrayBuffer())).toEqual(fixture.files.original.subarray(0, 10))
  })

  it('leaves the app port serving the bytes itself', async () => {
    const r = await via(base())(content(fixture.hash, 'original'), { range: 'bytes=0-9' })
    expect(r.status).toBe(206)
    expect(r.headers.get('etag')).not.toMatch(NGINX_ETAG)
    expect(Buffer.from(await r.arrayBuffer())).toEqual(fixture.files.original.subarray(0, 10))
  })

  it('never caches a growing playlist: one that moved to its final place is found there', async () => {
    const dir = contentDir(fixture.hash)
    await mkdir(path.join(dir, '.partial'), { recursive: true })
    await writeFile(path.join(dir, '.partial/media_9.m3u8'), '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:1\n')
    const live = await via(front.url)(content(fixture.hash, '.partial/media_9.m3u8'))
    expect(live.status).toBe(200)
    expect(live.headers.get('cache-control')).toBe('no-cache')
    expect(await live.text()).toContain('SEQUENCE:1')
    // The encode completes: the playlist leaves the work directory for its final place.
    await writeFile(path.join(dir, 'media_9.m3u8'), '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-ENDLIST\n')
    await rm(path.join(dir, '.partial'), { recursive: true })
    const after = await via(front.url)(content(fixture.hash, '.partial/media_9.m3u8'))
    expect(after.status).toBe(200)
    expect(await after.text()).toContain('ENDLIST')
  })

  it('decodes the HLS stream of a private video through the front with a token (ffprobe)', async () => {
    const minted = await fetch(`${front.url}/api/v1/videos/${privateVideo.id}/playback-token`, { method: 'POST', headers: owner.auth })
    const { urls } = (await minted.json()) as { urls: { hls: string } }
    const frames = execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', `${front.url}${urls.hls}`],
      { encoding: 'utf8', timeout: 60_000 },
    )
    expect(Number(frames.trim().split('\n')[0])).toBeGreaterThanOrEqual(50)
    const segments = (await front.accessLog()).filter((l) => l.includes(`/api/v1/content/${privateVideo.hash}/t/`) && /\.m4s HTTP\/1\.1" 20[06] /.test(l))
    expect(segments.length).toBeGreaterThan(0)
  })

  it("plays a public video in the app's own player, page, API, media and socket.io all through the front", async () => {
    let browser: Browser | undefined
    try {
      browser = await launchBrowser()
      const page = await (await browser.newContext()).newPage()
      await page.goto(`${front.url}/videos/${publicVideo.id}`)
      await expectAdvancing(page, 0.5, 30_000)
    } finally {
      await browser?.close()
    }
    const log = await front.accessLog()
    expect(log.some((l) => l.includes(`/api/v1/content/${publicVideo.hash}/`) && /\.m4s HTTP\/1\.1" 20[06] /.test(l))).toBe(true)
  })

  it('carries socket.io over WebSocket and long-polling', async () => {
    const room = (await (
      await fetch(`${front.url}/api/v1/rooms`, {
        method: 'POST',
        headers: { ...owner.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'front' }),
      })
    ).json()) as { id: string }
    for (const transport of ['websocket', 'polling'] as const) {
      const m = new CommandsManager({ socket: connectPlayerSocket(front.url, { token: owner.key, transports: [transport], forceNew: true }) })
      try {
        const state = await m.join(room.id)
        expect(state).toBeTruthy()
        expect(m.socket.io.engine.transport.name).toBe(transport)
      } finally {
        m.close()
        m.socket.close()
      }
    }
    expect((await front.accessLog()).some((l) => l.includes('/socket.io/') && l.includes('" 101 '))).toBe(true)
  })
})
