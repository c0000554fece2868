import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from './client'

// Leaks through dedup and sessions, tried over HTTP against the running server: Alice keeps a
// video private; Bob uploads the very same bytes, so both videos share one content and one
// transcode session. Bob must learn nothing of Alice's video through that session.

type Auth = Record<string, string>
interface SessionItem {
  id: string
  contentHash: string
  video: { id: string; title: string } | null
}

const get = (path: string, auth: Auth = {}) => fetch(`${base()}${path}`, { headers: auth })

let alice: Awaited<ReturnType<typeof userWithKey>>
let bob: Awaited<ReturnType<typeof userWithKey>>
let carol: Awaited<ReturnType<typeof userWithKey>>
const secretTitle = `Alice secret ${randomBytes(4).toString('hex')}`
let aliceVideo = ''
let bobVideo = ''
let sessionId = ''

beforeAll(async () => {
  ;[alice, bob, carol] = await Promise.all([userWithKey(), userWithKey(), userWithKey()])
  const clip = makeMp4('shared.mp4', { seed: 9101 })
  aliceVideo = ((await (await uploadMultipart(clip, { title: secretTitle, visibility: 'private' }, alice.auth)).json()) as { id: string }).id
  await waitForStatus(aliceVideo, alice.auth, ['ready'], 180_000)
  bobVideo = ((await (await uploadMultipart(clip, { title: 'Bob public copy', visibility: 'private' }, bob.auth)).json()) as { id: string }).id
  await waitForStatus(bobVideo, bob.auth, ['ready'], 60_000)
  const mine = (await (await get('/api/v1/sessions', bob.auth)).json()) as { items: SessionItem[] }
  sessionId = mine.items[0].id
})

afterAll(async () => {
  await disconnectDb()
})

describe('a session shared through dedup', () => {
  it('shows each caller only their own video, in the list and in search', async () => {
    const list = (await (await get('/api/v1/sessions?limit=100', bob.auth)).json()) as { items: SessionItem[] }
    const shared = list.items.find((s) => s.id === sessionId)!
    expect(shared.video).toEqual({ id: bobVideo, title: 'Bob public copy' })
    expect(JSON.stringify(list)).not.toContain(secretTitle)
    const search = await (await get(`/api/v1/sessions?q=${encodeURIComponent(secretTitle)}`, bob.auth)).json()
    expect(search).toMatchObject({ items: [], total: 0 })
    // Alice still finds her own.
    const hers = (await (await get(`/api/v1/sessions?q=${encodeURIComponent(secretTitle)}`, alice.auth)).json()) as { items: SessionItem[] }
    expect(hers.items.map((s) => [s.id, s.video?.id])).toEqual([[sessionId, aliceVideo]])
  })

  it('gives logs to owners of a video of that content and to admins, with paths relative to the content', async () => {
    const logs = await get(`/api/v1/sessions/${sessionId}/logs`, bob.auth)
    expect(logs.status).toBe(200)
    const text = await logs.text()
    expect(text).toMatch(/ffmpeg/)
    expect(text).not.toContain(inject('dataDir'))
    expect(text).not.toContain('/content/')
    expect((await get(`/api/v1/sessions/${sessionId}/logs`, carol.auth)).status).toBe(404)
  })

  it("lets an admin's key read other users' sessions only with the admin scope", async () => {
    const readOnly = await userWithKey('ADMIN', ['read'])
    const full = await userWithKey('ADMIN', ['read', 'admin'])
    for (const path of [`/api/v1/sessions/${sessionId}/logs`, `/api/v1/sessions/${sessionId}/status`]) {
      expect((await get(path, readOnly.auth)).status, path).toBe(404)
      expect((await get(path, full.auth)).status, path).toBe(200)
    }
    const listed = (await (await get('/api/v1/sessions?limit=100', readOnly.auth)).json()) as { items: SessionItem[] }
    expect(listed.items.map((s) => s.id)).not.toContain(sessionId)
  })
})

describe('cursors', () => {
  it('answers 400 to an unknown or foreign cursor on every paginated list, and pages with a real one', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'admin'])
    const webhook = (await (
      await fetch(`${base()}/api/v1/webhooks`, {
        method: 'POST',
        headers: { ...carol.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.2:1024/cursor-test', events: ['video.ready'] }),
      })
    ).json()) as { id: string }
    const probes: [string, Auth][] = [
      // Carol probing for Alice's private video and the session she cannot see.
      [`/api/v1/videos?cursor=${aliceVideo}`, carol.auth],
      [`/api/v1/sessions?cursor=${sessionId}`, carol.auth],
      [`/api/v1/webhooks/${webhook.id}/deliveries?cursor=${aliceVideo}`, carol.auth],
      [`/api/v1/videos?cursor=nope${randomBytes(4).toString('hex')}`, carol.auth],
      [`/api/v1/admin/videos?cursor=nope`, admin.auth],
      [`/api/v1/users?cursor=nope`, admin.auth],
    ]
    for (const [path, auth] of probes) {
      const res = await get(path, auth)
      expect(res.status, path).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    const first = (await (await get('/api/v1/sessions?limit=1', alice.auth)).json()) as { items: SessionItem[] }
    expect((await get(`/api/v1/sessions?limit=1&cursor=${first.items[0].id}`, alice.auth)).status).toBe(200)
    const videos = (await (await get('/api/v1/videos?limit=1', bob.auth)).json()) as { nextCursor: string | null; items: { id: string }[] }
    expect((await get(`/api/v1/videos?limit=1&cursor=${videos.items[0].id}`, bob.auth)).status).toBe(200)
  })
})

describe('playback tokens after a visibility change', () => {
  it('stop working for others once the owner makes the video private; the owner keeps playing', async () => {
    const clip = makeMp4('unlisted.mp4', { seed: 9102 })
    const id = ((await (await uploadMultipart(clip, { title: 'Was unlisted', visibility: 'unlisted' }, alice.auth)).json()) as { id: string }).id
    await waitForStatus(id, alice.auth, ['ready'], 180_000)
    const mint = async (auth: Auth) => {
      const res = await fetch(`${base()}/api/v1/videos/${id}/playback-token`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(res.status).toBe(201)
      return ((await res.json()) as { urls: { direct: string } }).urls.direct
    }
    const carolUrl = await mint(carol.auth)
    const aliceUrl = await mint(alice.auth)
    const range = { range: 'bytes=0-99' }
    expect((await fetch(`${base()}${carolUrl}`, { headers: range })).status).toBe(206)

    const patched = await fetch(`${base()}/api/v1/videos/${id}`, {
      method: 'PATCH',
      headers: { ...alice.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ visibility: 'PRIVATE' }),
    })
    expect(patched.status).toBeLessThan(300)
    // The server may remember a video's token facts for a few seconds: wait for the refusal.
    const deadline = Date.now() + 60_000
    let status = 0
    while (Date.now() < deadline) {
      status = (await fetch(`${base()}${carolUrl}`, { headers: range })).status
      if (status === 401) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(status).toBe(401)
    expect((await fetch(`${base()}${aliceUrl}`, { headers: range })).status).toBe(206)
  })
})
