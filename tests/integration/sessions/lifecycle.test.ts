import { createHash, randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { databaseUrl } from '@/lib/config/env'
import { tempDir } from '@/lib/content/store'
import { db, disconnectDb } from '@/lib/db'
import { CANCEL_CHANNEL, EVENTS_CHANNEL } from '@/lib/queue/channels'
import { claimNextSession } from '@/lib/queue/claim'
import { cancelRun, failRun, requeueFinished, startRun, type StoredRun, storeRun } from '@/lib/sessions/lifecycle'
import { ingestUpload } from '@/lib/videos/ingest'

// Each move of a session is one transaction: session row, content row, event row, webhook
// deliveries and NOTIFYs all happen, or none does. Failures are injected with a constraint that
// refuses one kind of row, exactly where a real database could fail mid-move.

const WORKER = 'worker-under-test'
let ownerId = ''
let listener: pg.Client
const heard: { channel: string; payload: string }[] = []

const run: StoredRun = {
  encode: { speed: 2, segments: 3, wallMs: 1500 },
  facts: { durationMs: 6000, width: 320, height: 180 },
  probe: { durationMs: 6000 },
  renditions: [{ name: '180p', kind: 'video', width: 320, height: 180, bitrate: 300_000, codecs: 'avc1.4d400d', bytes: 1000n, segments: 3 }],
}

/** A video with a webhook subscribed to every outcome, and its session claimed by WORKER (QUEUED when `claim` is false). */
async function runningSession(opts: { claim?: boolean; start?: boolean } = {}) {
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  await db.content.create({ data: { hash, size: 1n, mime: 'video/mp4' } })
  const video = await db.video.create({ data: { ownerId, title: 'Clip', contentHash: hash } })
  const session = await db.transcodeSession.create({ data: { contentHash: hash } })
  if (opts.claim !== false) expect((await claimNextSession(WORKER))?.id).toBe(session.id)
  if (opts.start !== false && opts.claim !== false) await startRun(session.id, WORKER, { attempt: 1, fallback: false })
  return { id: session.id, hash, videoId: video.id }
}

async function snapshot(id: string, hash: string) {
  const [session, content, events, deliveries, renditions] = await Promise.all([
    db.transcodeSession.findUniqueOrThrow({ where: { id } }),
    db.content.findUniqueOrThrow({ where: { hash } }),
    db.sessionEvent.findMany({ where: { sessionId: id }, orderBy: { id: 'asc' } }),
    db.webhookDelivery.findMany({ where: { payload: { path: ['data', 'session', 'id'], equals: id } } }),
    db.rendition.count({ where: { contentHash: hash } }),
  ])
  return { session, content, events: events.map((e) => e.type), deliveries: deliveries.map((d) => d.event).sort(), renditions }
}

/** Refuses rows of `table` matching `condition` while `fn` runs. */
async function refusing<T>(table: string, condition: string, fn: () => Promise<T>): Promise<T> {
  await db.$executeRawUnsafe(`ALTER TABLE "${table}" ADD CONSTRAINT injected_failure CHECK (NOT (${condition})) NOT VALID`)
  try {
    return await fn()
  } finally {
    await db.$executeRawUnsafe(`ALTER TABLE "${table}" DROP CONSTRAINT injected_failure`)
  }
}

/**
 * The notifications a move sent. A marker NOTIFY goes out after it; notifications arrive in commit
 * order, so once the marker is heard everything the move sent has been heard too.
 */
async function notificationsUpTo(): Promise<{ channel: string; payload: string }[]> {
  const marker = randomBytes(8).toString('hex')
  await db.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${marker})`
  while (!heard.some((h) => h.payload === marker)) await new Promise((r) => setTimeout(r, 20))
  const upTo = heard.splice(0, heard.length)
  return upTo.filter((h) => h.payload !== marker)
}

beforeAll(async () => {
  ownerId = (await createUser({ email: `lifecycle-${randomBytes(4).toString('hex')}@test.local`, password: 'password-1234' })).id
  await db.webhook.create({
    data: { ownerId, url: 'https://hooks.example.com/in', secret: 'whsec_test_secret_value', events: ['video.ready', 'video.failed', 'session.failed'] },
  })
  listener = new pg.Client({ connectionString: databaseUrl() })
  listener.on('notification', (m) => heard.push({ channel: m.channel, payload: m.payload ?? '' }))
  await listener.connect()
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`)
  await listener.query(`LISTEN ${CANCEL_CHANNEL}`)
})

beforeEach(async () => {
  await db.transcodeSession.deleteMany()
  await notificationsUpTo()
})

afterAll(async () => {
  await listener?.end()
  await disconnectDb()
})

describe('a cancel', () => {
  it('whose webhook deliveries cannot be written leaves the session, its content and its timeline as they were', async () => {
    const { id, hash } = await runningSession()
    const before = await snapshot(id, hash)
    await notificationsUpTo()

    await expect(refusing('WebhookDelivery', 'true', () => cancelRun(id, 'admin@test.local'))).rejects.toThrow()

    expect(await snapshot(id, hash)).toEqual(before)
    expect(before.session.state).toBe('RUNNING')
    expect(before.content.state).toBe('PROCESSING')
    expect(await notificationsUpTo()).toEqual([])
  })

  it('moves session and content, records the event and the deliveries, and tells the worker, all at once', async () => {
    const { id, hash } = await runningSession()
    await notificationsUpTo()

    await cancelRun(id, 'admin@test.local')

    const after = await snapshot(id, hash)
    expect(after.session).toMatchObject({ state: 'CANCELLED', leaseOwner: null })
    expect(after.content).toMatchObject({ state: 'FAILED', error: 'processing was cancelled' })
    expect(after.events.at(-1)).toBe('SessionCancelled')
    expect(after.deliveries).toEqual(['session.failed', 'video.failed'])
    const sent = await notificationsUpTo()
    expect(sent).toContainEqual({ channel: CANCEL_CHANNEL, payload: id })
    expect(sent.filter((n) => n.channel === EVENTS_CHANNEL).map((n) => JSON.parse(n.payload).type)).toEqual(['SessionCancelled'])
  })

  it('of a session that finished meanwhile is refused and changes nothing', async () => {
    const { id, hash } = await runningSession()
    await failRun(id, WORKER, 'broken')
    const before = await snapshot(id, hash)
    await expect(cancelRun(id, 'admin@test.local')).rejects.toThrow(/Session is FAILED/)
    expect(await snapshot(id, hash)).toEqual(before)
  })
})

describe('storing a run', () => {
  it('that cannot write its event stays COMPLETED: content not stored, no renditions, no video.ready', async () => {
    const { id, hash } = await runningSession()

    await expect(refusing('SessionEvent', "type = 'SessionStored'", () => storeRun(id, WORKER, run))).rejects.toThrow()

    const after = await snapshot(id, hash)
    expect(after.session.state).toBe('COMPLETED')
    expect(after.session.leaseOwner).toBe(WORKER)
    expect(after.content).toMatchObject({ state: 'PROCESSING', durationMs: null, storedAt: null })
    expect(after.renditions).toBe(0)
    expect(after.deliveries).toEqual([])
    expect(after.events).not.toContain('SessionStored')
  })

  it('writes session, content, renditions, event and video.ready together', async () => {
    const { id, hash } = await runningSession()
    await storeRun(id, WORKER, run)
    const after = await snapshot(id, hash)
    expect(after.session).toMatchObject({ state: 'STORED', leaseOwner: null })
    expect(after.content).toMatchObject({ state: 'STORED', durationMs: 6000, width: 320, height: 180 })
    expect(after.renditions).toBe(1)
    expect(after.events.slice(-2)).toEqual(['TranscodeCompleted', 'SessionStored'])
    expect(after.deliveries).toEqual(['video.ready'])
  })

  it('by a worker that lost the lease is refused and writes nothing', async () => {
    const { id, hash } = await runningSession()
    const before = await snapshot(id, hash)
    await expect(storeRun(id, 'another-worker', run)).rejects.toThrow(/no longer holds/)
    expect(await snapshot(id, hash)).toEqual(before)
  })
})

describe('failing a run', () => {
  it('whose webhook deliveries cannot be written leaves session and content running', async () => {
    const { id, hash } = await runningSession()
    const before = await snapshot(id, hash)
    await expect(refusing('WebhookDelivery', 'true', () => failRun(id, WORKER, 'broken'))).rejects.toThrow()
    expect(await snapshot(id, hash)).toEqual(before)
  })
})

describe('a retry', () => {
  it('whose content cannot change leaves the failed session failed', async () => {
    const { id, hash } = await runningSession()
    await failRun(id, WORKER, 'broken')
    const before = await snapshot(id, hash)
    await expect(refusing('Content', "state = 'PROCESSING'", () => requeueFinished(id, 'admin@test.local'))).rejects.toThrow()
    expect(await snapshot(id, hash)).toEqual(before)

    await requeueFinished(id, 'admin@test.local')
    const after = await snapshot(id, hash)
    expect(after.session).toMatchObject({ state: 'QUEUED', attempt: 0, error: null })
    expect(after.content.state).toBe('PROCESSING')
  })
})

describe('a new upload', () => {
  async function upload() {
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), randomBytes(64)])
    const tempPath = path.join(tempDir(), `upload-${randomBytes(6).toString('hex')}`)
    await mkdir(path.dirname(tempPath), { recursive: true })
    await writeFile(tempPath, bytes)
    return { ownerId, tempPath, hash: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, metadata: { title: 'New' } }
  }

  it('whose SessionQueued event cannot be written leaves no content, video or session', async () => {
    const u = await upload()
    await expect(refusing('SessionEvent', "type = 'SessionQueued'", () => ingestUpload(u))).rejects.toThrow()
    expect(await db.content.count({ where: { hash: u.hash } })).toBe(0)
    expect(await db.video.count({ where: { contentHash: u.hash } })).toBe(0)
    expect(await db.transcodeSession.count({ where: { contentHash: u.hash } })).toBe(0)
  })

  it('queues its session with the event and a wake-up, in one go', async () => {
    const u = await upload()
    const result = await ingestUpload(u)
    const events = await db.sessionEvent.findMany({ where: { sessionId: result.sessionId! } })
    expect(events.map((e) => [e.type, e.data])).toEqual([['SessionQueued', { videoId: result.videoId }]])
    const sent = await notificationsUpTo()
    expect(sent.filter((n) => n.channel === EVENTS_CHANNEL).map((n) => JSON.parse(n.payload).type)).toEqual(['SessionQueued'])
  })
})
