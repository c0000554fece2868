import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { claimNextSession, claimStartupSession, releaseLease, renewLease } from '@/lib/queue/claim'
import { recordWatch } from '@/lib/queue/watchers'
import { moveSession } from '@/lib/sessions/lifecycle'

async function queueSessions(n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
    await db.content.create({ data: { hash, size: 1n, mime: 'video/mp4' } })
    ids.push((await db.transcodeSession.create({ data: { contentHash: hash } })).id)
  }
  return ids
}

describe('session queue', () => {
  beforeEach(async () => {
    await db.transcodeSession.deleteMany()
  })
  afterAll(disconnectDb)

  it('hands each session to exactly one of several concurrent claimers', async () => {
    const ids = await queueSessions(12)
    const claimed: string[] = []
    await Promise.all(
      ['w1', 'w2', 'w3'].map(async (w) => {
        for (;;) {
          const s = await claimNextSession(w)
          if (!s) return
          claimed.push(s.id)
        }
      }),
    )
    expect(claimed.sort()).toEqual([...ids].sort())
  })

  it('gives an expired lease to another worker, and the old owner can no longer renew it', async () => {
    const [id] = await queueSessions(1)
    const first = await claimNextSession('dead-worker', 200)
    expect(first?.id).toBe(id)
    expect(await claimNextSession('other')).toBeNull()
    await new Promise((r) => setTimeout(r, 400))
    const second = await claimNextSession('other')
    expect(second?.id).toBe(id)
    expect(second?.attempt).toBe(2)
    expect(await renewLease(id, 'dead-worker')).toBe(false)
    expect(await renewLease(id, 'other')).toBe(true)
  })

  it('returns a released session to the queue without counting the attempt', async () => {
    const [id] = await queueSessions(1)
    await claimNextSession('w')
    await releaseLease(id, 'w')
    const row = await db.transcodeSession.findUniqueOrThrow({ where: { id } })
    expect(row.state).toBe('QUEUED')
    expect(row.attempt).toBe(0)
  })

  it('refuses illegal moves and moves by a worker that lost the lease', async () => {
    const [id] = await queueSessions(1)
    await expect(moveSession(id, { to: 'STORED' })).rejects.toThrow(/QUEUED session cannot become STORED/)
    await claimNextSession('w')
    await expect(moveSession(id, { to: 'RUNNING', leaseOwner: 'someone-else' })).rejects.toThrow(/no longer holds/)
    const moved = await moveSession(id, { to: 'RUNNING', leaseOwner: 'w' })
    expect(moved.state).toBe('RUNNING')
  })

  it('gives viewers their session first, and the start-up lane only first encodes that are fresh or watched', async () => {
    const [oldUpload, watchedOld, reencode, fresh] = await queueSessions(4)
    const hourAgo = new Date(Date.now() - 60 * 60_000)
    await db.transcodeSession.updateMany({ where: { id: { in: [oldUpload, watchedOld, reencode] } }, data: { createdAt: hourAgo, runAt: hourAgo } })
    // A re-encode of content that is stored already (it plays meanwhile), however fresh.
    const re = await db.transcodeSession.findUniqueOrThrow({ where: { id: reencode } })
    await db.content.update({ where: { hash: re.contentHash }, data: { state: 'STORED', storedAt: new Date() } })
    await db.transcodeSession.update({ where: { id: reencode }, data: { createdAt: new Date() } })
    await recordWatch(watchedOld, 'viewer-1')

    // The ordinary claim: the watched one before older-due ones.
    expect((await claimNextSession('w1'))?.id).toBe(watchedOld)
    // The lane: the fresh upload; never the old unwatched one nor the re-encode.
    expect((await claimStartupSession('w2'))?.id).toBe(fresh)
    expect(await claimStartupSession('w2')).toBeNull()
    const left = await db.transcodeSession.findMany({ where: { id: { in: [oldUpload, reencode] } } })
    expect(left.map((s) => s.state)).toEqual(['QUEUED', 'QUEUED'])
  })
})
