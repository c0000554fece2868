import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { claimPosterRender, failPosterRender, finishPosterRender, requestPosterRender } from '@/lib/queue/posters'

// The poster-frame queue: one waiting request per video (a newer choice replaces it), each claimed
// by exactly one worker, a render that a newer choice overtook neither finishes nor fails the newer
// one, and an expired lease or a failure hands the request on until the attempts run out.

let ownerId = ''
async function videos(n: number): Promise<string[]> {
  ownerId ||= (await createUser({ email: `poster-queue-${randomBytes(4).toString('hex')}@test.local`, password: 'password-123' })).id
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
    await db.content.create({ data: { hash, size: 1n, mime: 'video/mp4', state: 'STORED', durationMs: 10_000 } })
    ids.push((await db.video.create({ data: { ownerId, title: `v${i}`, contentHash: hash } })).id)
  }
  return ids
}

describe('poster render queue', () => {
  beforeEach(async () => {
    await db.posterRender.deleteMany()
  })
  afterAll(disconnectDb)

  it('keeps one request per video, the latest choice', async () => {
    const [v] = await videos(1)
    await requestPosterRender(v, 1000)
    await requestPosterRender(v, 2500)
    expect(await db.posterRender.findMany({ where: { videoId: v } })).toMatchObject([{ atMs: 2500, attempts: 0, leaseOwner: null }])
  })

  it('hands each request to exactly one of several concurrent claimers', async () => {
    const ids = await videos(9)
    for (const v of ids) await requestPosterRender(v, 500)
    const claimed: string[] = []
    await Promise.all(
      ['w1', 'w2', 'w3'].map(async (w) => {
        for (;;) {
          const c = await claimPosterRender(w)
          if (!c) return
          claimed.push(c.videoId)
        }
      }),
    )
    expect(claimed.sort()).toEqual([...ids].sort())
  })

  it('sets the poster when done, unless a newer choice replaced the request meanwhile', async () => {
    const [a, b] = await videos(2)
    await requestPosterRender(a, 1000)
    const claimA = (await claimPosterRender('w'))!
    expect(await finishPosterRender(claimA, 'frames/at-1000.jpg')).toBe(true)
    expect((await db.video.findUniqueOrThrow({ where: { id: a } })).posterPath).toBe('frames/at-1000.jpg')
    expect(await db.posterRender.count({ where: { videoId: a } })).toBe(0)

    await requestPosterRender(b, 1000)
    const stale = (await claimPosterRender('w'))!
    await new Promise((r) => setTimeout(r, 5))
    await requestPosterRender(b, 3000)
    expect(await finishPosterRender(stale, 'frames/at-1000.jpg')).toBe(false)
    await failPosterRender(stale, 'too late anyway')
    expect((await db.video.findUniqueOrThrow({ where: { id: b } })).posterPath).toBeNull()
    const fresh = (await claimPosterRender('w2'))!
    expect(fresh).toMatchObject({ videoId: b, atMs: 3000 })
    expect((await db.posterRender.findUniqueOrThrow({ where: { videoId: b } })).error).toBeNull()
  })

  it('gives an expired lease to another worker and stops after the last attempt fails', async () => {
    const [v] = await videos(1)
    await requestPosterRender(v, 700)
    const first = (await claimPosterRender('dead', { maxAttempts: 3, leaseMs: 3000, pollEveryMs: 5000 }))!
    expect(await claimPosterRender('other')).toBeNull()
    await new Promise((r) => setTimeout(r, 3500))
    const second = (await claimPosterRender('other'))!
    expect(second).toMatchObject({ videoId: v, attempts: 2 })
    await failPosterRender(second, 'ffmpeg failed')
    const third = (await claimPosterRender('other'))!
    expect(third.attempts).toBe(3)
    await failPosterRender(third, 'ffmpeg failed again')
    expect(await claimPosterRender('other')).toBeNull()
    expect(first.attempts).toBe(1)
    expect((await db.posterRender.findUniqueOrThrow({ where: { videoId: v } })).error).toBe('ffmpeg failed again')
  })
})
