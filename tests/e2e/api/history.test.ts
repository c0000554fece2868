import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, userWithKey } from './client'

// Resume and watch history over the API: positions are per caller, only for videos the caller may
// watch, and the history lists, removes and clears only the caller's own entries.

type Who = Awaited<ReturnType<typeof userWithKey>>

async function storedVideo(owner: Who, visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE', durationMs = 60_000) {
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  await db.content.create({ data: { hash, size: 1000n, mime: 'video/mp4', state: 'STORED', durationMs, width: 640, height: 360, storedAt: new Date() } })
  const v = await db.video.create({ data: { ownerId: owner.user.id, title: `History ${visibility} ${hash.slice(0, 6)}`, visibility, contentHash: hash } })
  return v.id
}

const put = (id: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${base()}/api/v1/videos/${id}/progress`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

const history = async (headers: Record<string, string>) => {
  const res = await fetch(`${base()}/api/v1/me/history`, { headers })
  expect(res.status).toBe(200)
  return ((await res.json()) as { items: { video: { id: string; title: string }; positionMs: number; durationMs: number | null }[] }).items
}

const watchProgress = async (id: string, headers: Record<string, string>) =>
  ((await (await fetch(`${base()}/api/v1/videos/${id}`, { headers })).json()) as { watchProgress: { positionMs: number; updatedAt: string } | null })
    .watchProgress

describe('watch progress and history API', () => {
  let owner: Who
  let viewer: Who
  let stranger: Who
  const ids = { public: '', unlisted: '', private: '' }

  beforeAll(async () => {
    owner = await userWithKey()
    viewer = await userWithKey()
    stranger = await userWithKey()
    ids.public = await storedVideo(owner, 'PUBLIC')
    ids.unlisted = await storedVideo(owner, 'UNLISTED')
    ids.private = await storedVideo(owner, 'PRIVATE')
  })
  afterAll(disconnectDb)

  it('saves a position per caller and returns it with the video', async () => {
    expect(await watchProgress(ids.public, viewer.auth)).toBeNull()
    expect((await put(ids.public, viewer.auth, { positionMs: 20_500, durationMs: 60_000 })).status).toBe(204)
    const saved = await watchProgress(ids.public, viewer.auth)
    expect(saved?.positionMs).toBe(20_500)
    expect(Number.isNaN(Date.parse(saved?.updatedAt ?? ''))).toBe(false)
    // The latest report wins; nobody else sees it.
    expect((await put(ids.public, viewer.auth, { positionMs: 31_000 })).status).toBe(204)
    expect((await watchProgress(ids.public, viewer.auth))?.positionMs).toBe(31_000)
    expect(await watchProgress(ids.public, stranger.auth)).toBeNull()
    expect(await watchProgress(ids.public, {})).toBeNull()
  })

  it('takes unlisted videos, refuses private ones of others with 404 and anonymous callers with 401', async () => {
    expect((await put(ids.unlisted, viewer.auth, { positionMs: 5000 })).status).toBe(204)
    const hidden = await put(ids.private, viewer.auth, { positionMs: 5000 })
    expect(hidden.status).toBe(404)
    expect(hidden.headers.get('content-type')).toContain('application/problem+json')
    expect((await put('no-such-video', viewer.auth, { positionMs: 5000 })).status).toBe(404)
    const anonymous = await put(ids.public, {}, { positionMs: 5000 })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json')
    // The owner may keep a position in their own private video.
    expect((await put(ids.private, owner.auth, { positionMs: 1000 })).status).toBe(204)
    expect(await db.watchProgress.count({ where: { userId: viewer.user.id, videoId: ids.private } })).toBe(0)
  })

  it('refuses bad bodies with 4xx problem+json', async () => {
    for (const body of [
      {},
      { positionMs: -1 },
      { positionMs: 1.5 },
      { positionMs: '10' },
      { positionMs: 1e12 },
      { positionMs: 10, extra: 1 },
      { positionMs: 10, durationMs: 0 },
    ]) {
      const res = await put(ids.public, viewer.auth, body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    const malformed = await put(ids.public, viewer.auth, '{"positionMs":')
    expect(malformed.status).toBe(400)
    expect((await watchProgress(ids.public, viewer.auth))?.positionMs).toBe(31_000)
  })

  it('clamps a position past the reported end', async () => {
    const id = await storedVideo(owner, 'PUBLIC', 10_000)
    expect((await put(id, stranger.auth, { positionMs: 99_000, durationMs: 10_000 })).status).toBe(204)
    expect((await watchProgress(id, stranger.auth))?.positionMs).toBe(10_000)
  })

  it("lists the caller's history, most recent first, without videos they can no longer watch", async () => {
    const items = await history(viewer.auth)
    expect(items.map((i) => i.video.id)).toEqual([ids.unlisted, ids.public])
    expect(items[1]).toMatchObject({ positionMs: 31_000, durationMs: 60_000 })
    // Made private: it drops out of the viewer's history (and the position is not offered).
    await db.video.update({ where: { id: ids.unlisted }, data: { visibility: 'PRIVATE' } })
    expect((await history(viewer.auth)).map((i) => i.video.id)).toEqual([ids.public])
    expect((await fetch(`${base()}/api/v1/videos/${ids.unlisted}`, { headers: viewer.auth })).status).toBe(404)
    await db.video.update({ where: { id: ids.unlisted }, data: { visibility: 'UNLISTED' } })
    expect((await history(stranger.auth)).map((i) => i.video.id)).not.toContain(ids.public)
    expect((await fetch(`${base()}/api/v1/me/history`)).status).toBe(401)
  })

  it('removes one entry and clears the rest, only for the caller', async () => {
    expect((await put(ids.public, stranger.auth, { positionMs: 7000 })).status).toBe(204)
    const remove = await fetch(`${base()}/api/v1/me/history/${ids.public}`, { method: 'DELETE', headers: viewer.auth })
    expect(remove.status).toBe(204)
    expect((await history(viewer.auth)).map((i) => i.video.id)).toEqual([ids.unlisted])
    expect(await watchProgress(ids.public, viewer.auth)).toBeNull()
    // Idempotent, and silent about unknown ids.
    expect((await fetch(`${base()}/api/v1/me/history/${ids.public}`, { method: 'DELETE', headers: viewer.auth })).status).toBe(204)
    expect((await fetch(`${base()}/api/v1/me/history/${ids.private}`, { method: 'DELETE', headers: viewer.auth })).status).toBe(204)
    expect((await fetch(`${base()}/api/v1/me/history`, { method: 'DELETE', headers: viewer.auth })).status).toBe(204)
    expect(await history(viewer.auth)).toEqual([])
    // The stranger's entry is untouched.
    expect((await watchProgress(ids.public, stranger.auth))?.positionMs).toBe(7000)
    expect((await fetch(`${base()}/api/v1/me/history`, { method: 'DELETE' })).status).toBe(401)
  })

  it('forgets positions when the video is deleted', async () => {
    const id = await storedVideo(owner, 'PUBLIC')
    expect((await put(id, viewer.auth, { positionMs: 3000 })).status).toBe(204)
    expect((await fetch(`${base()}/api/v1/videos/${id}`, { method: 'DELETE', headers: owner.auth })).status).toBe(204)
    expect(await db.watchProgress.count({ where: { videoId: id } })).toBe(0)
  })
})
