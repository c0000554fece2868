import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { deliverDueWebhooks, startWebhookDeliveries } from '@/lib/webhooks/deliver'
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue'
import { enqueueSessionOutcome } from '@/lib/webhooks/events'
import { createWebhook, deleteWebhook, listDeliveries, redeliver } from '@/lib/webhooks/manage'
import { WEBHOOK_POLICY, type WebhookPolicy } from '@/lib/webhooks/policy'
import { verifyWebhookSignature } from '@/lib/webhooks/signing'

// Real Postgres, a real HTTP receiver on 127.0.0.1: the outbox, the claim, signing, retries.
// The receiver is on loopback, so this install allows private networks (egress.test.ts checks the
// default refuses them).
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = '1'
})

interface Received {
  headers: IncomingMessage['headers']
  body: string
}

let server: Server
let base = ''
const received: Received[] = []
/** Status codes to answer, in order; 200 once exhausted. */
let plan: number[] = []
let delayMs = 0

const FAST: WebhookPolicy = { ...WEBHOOK_POLICY, backoffBaseMs: 1000, backoffMaxMs: 4000, timeoutMs: 500, pollEveryMs: 5_000, maxAttempts: 3 }

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      setTimeout(() => {
        if (req.url === '/moved') {
          res.writeHead(302, { location: '/hook' })
          return res.end()
        }
        const status = plan.shift() ?? 200
        res.writeHead(status, { 'content-type': 'text/plain' })
        res.end(status < 300 ? 'ok' : 'internal detail: db password hunter2')
      }, delayMs)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
  await disconnectDb()
})

beforeEach(async () => {
  received.length = 0
  plan = []
  delayMs = 0
  await db.webhookDelivery.deleteMany()
  await db.webhook.deleteMany()
})

async function owner(): Promise<Actor> {
  const u = await createUser({ email: `wh-${randomBytes(4).toString('hex')}@test.local`, password: 'password-123' })
  return { userId: u.id, email: u.email, role: 'USER', via: 'session', scopes: ['read', 'write'] }
}

const due = async () => {
  // Retries are scheduled in the future; pull them forward instead of sleeping through backoff.
  await db.webhookDelivery.updateMany({ where: { status: 'PENDING' }, data: { nextAttemptAt: new Date(Date.now() - 1) } })
}

describe('webhook deliveries', () => {
  it('signs the body with the endpoint secret and records success', async () => {
    const actor = await owner()
    const hook = await createWebhook(actor, { url: `${base}/hook`, events: ['video.ready'], active: true })
    expect(hook.secret).toMatch(/^whsec_/)
    expect(await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: { video: { id: 'v1' } } })).toBe(1)
    // Not subscribed, and another user's event: no delivery.
    expect(await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.failed', payload: {} })).toBe(0)

    const outcomes = await deliverDueWebhooks(FAST)
    expect(outcomes).toMatchObject([{ status: 'SUCCEEDED', responseCode: 200 }])
    expect(received).toHaveLength(1)
    const [r] = received
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.headers['reelhouse-event']).toBe('video.ready')
    expect(r.headers['reelhouse-delivery']).toBe(outcomes[0].id)
    const check = verifyWebhookSignature({ header: r.headers['reelhouse-signature'] as string, body: r.body, secret: hook.secret! })
    expect(check.ok).toBe(true)
    const event = JSON.parse(r.body)
    expect(event).toMatchObject({ type: 'video.ready', data: { video: { id: 'v1' } } })
    expect(event.id).toMatch(/^evt_/)

    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: outcomes[0].id } })
    expect(row).toMatchObject({ status: 'SUCCEEDED', attempt: 1, responseCode: 200, error: null, errorClass: null })
    expect(row.durationMs).toBeGreaterThanOrEqual(0)
    expect(row.deliveredAt).toBeInstanceOf(Date)
  })

  it('ends quietly when the webhook is deleted while its delivery is being sent', async () => {
    const actor = await owner()
    const hook = await createWebhook(actor, { url: `${base}/hook`, events: ['video.ready'], active: true })
    await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {} })
    delayMs = 300
    const sending = deliverDueWebhooks(FAST)
    await vi.waitFor(() => expect(received).toHaveLength(1))
    await deleteWebhook(actor, hook.id)
    // Recorded as what the receiver answered, not as a crash of the delivery loop.
    expect(await sending).toMatchObject([{ status: 'SUCCEEDED', responseCode: 200 }])
    expect(await db.webhookDelivery.count()).toBe(0)
  })

  it('retries failures with growing backoff and gives up after the last attempt', async () => {
    const actor = await owner()
    await createWebhook(actor, { url: `${base}/hook`, events: ['session.failed'], active: true })
    await enqueueWebhookEvent({ ownerId: actor.userId, event: 'session.failed', payload: {} })
    plan = [500, 503, 500]

    const t0 = Date.now()
    const [first] = await deliverDueWebhooks(FAST)
    expect(first).toMatchObject({ status: 'PENDING', responseCode: 500 })
    const afterFirst = await db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })
    // Status and class only: what the receiver said is never kept.
    expect(afterFirst).toMatchObject({ error: 'HTTP 500', errorClass: 'http_status' })
    expect(afterFirst.durationMs).toBeGreaterThanOrEqual(0)
    const wait1 = afterFirst.nextAttemptAt.getTime() - t0
    expect(wait1).toBeGreaterThanOrEqual(800)
    // Not due yet: nothing is sent.
    expect(await deliverDueWebhooks(FAST)).toEqual([])

    await due()
    const t1 = Date.now()
    expect((await deliverDueWebhooks(FAST))[0]).toMatchObject({ status: 'PENDING', responseCode: 503 })
    const wait2 = (await db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).nextAttemptAt.getTime() - t1
    expect(wait2).toBeGreaterThan(wait1)

    await due()
    expect((await deliverDueWebhooks(FAST))[0]).toMatchObject({ status: 'FAILED', responseCode: 500 })
    expect(received).toHaveLength(3)
    // The same event id on every attempt, so receivers can deduplicate.
    expect(new Set(received.map((r) => JSON.parse(r.body).id)).size).toBe(1)
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).attempt).toBe(3)
  })

  it('records timeouts and unreachable receivers as failed attempts', async () => {
    const actor = await owner()
    await createWebhook(actor, { url: `${base}/slow`, events: ['video.failed'], active: true })
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const closedPort = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    await createWebhook(actor, { url: `http://127.0.0.1:${closedPort}/closed`, events: ['video.failed'], active: true })
    await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.failed', payload: {} })
    delayMs = 1500
    const outcomes = await deliverDueWebhooks(FAST)
    expect(outcomes).toHaveLength(2)
    const failures = outcomes.map((o) => `${o.errorClass}: ${o.error}`).sort()
    expect(failures).toEqual(['connection: connection failed (ECONNREFUSED)', 'timeout: no answer within 500 ms'])
    expect(outcomes.every((o) => o.status === 'PENDING')).toBe(true)
  })

  it('does not follow redirects', async () => {
    const actor = await owner()
    await createWebhook(actor, { url: `${base}/moved`, events: ['video.ready'], active: true })
    await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {} })
    const [outcome] = await deliverDueWebhooks(FAST)
    expect(outcome).toMatchObject({ status: 'PENDING', responseCode: 302, errorClass: 'http_status', error: 'HTTP 302' })
    // Only the POST to /moved arrived; /hook was never asked.
    expect(received).toHaveLength(1)
  })

  it('hands each due delivery to exactly one of several concurrent workers', async () => {
    const actor = await owner()
    await createWebhook(actor, { url: `${base}/hook`, events: ['video.ready'], active: true })
    for (let i = 0; i < 10; i++) await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: { i } })
    const all = (await Promise.all([1, 2, 3].map(() => deliverDueWebhooks({ ...FAST, concurrency: 4 })))).flat()
    const more = await deliverDueWebhooks({ ...FAST, concurrency: 10 })
    const ids = [...all, ...more].map((o) => o.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(10)
    expect(received).toHaveLength(10)
  })

  it('enqueues once per idempotency key', async () => {
    const actor = await owner()
    await createWebhook(actor, { url: `${base}/hook`, events: ['video.ready'], active: true })
    const key = `video.ready:${randomBytes(4).toString('hex')}`
    expect(await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {}, key })).toBe(1)
    expect(await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {}, key })).toBe(0)
    expect(await db.webhookDelivery.count()).toBe(1)
  })

  it('turns a stored session into video.ready for each owner, a failed one into session.failed and video.failed', async () => {
    const a = await owner()
    const b = await owner()
    const hookA = await createWebhook(a, { url: `${base}/a`, events: ['video.ready', 'video.failed', 'session.failed'], active: true })
    await createWebhook(b, { url: `${base}/b`, events: ['video.ready'], active: true })
    const hash = createHash('sha256').update(randomBytes(8)).digest('hex')
    await db.content.create({ data: { hash, size: 10n, mime: 'video/mp4', state: 'STORED', durationMs: 2000, width: 320, height: 180 } })
    const va = await db.video.create({ data: { ownerId: a.userId, title: 'Mine', contentHash: hash } })
    const vb = await db.video.create({ data: { ownerId: b.userId, title: 'Theirs', contentHash: hash } })
    const session = await db.transcodeSession.create({ data: { contentHash: hash, state: 'STORED', finishedAt: new Date() } })

    expect(await enqueueSessionOutcome(session.id)).toBe(2)
    expect(await enqueueSessionOutcome(session.id)).toBe(0)
    await deliverDueWebhooks({ ...FAST, concurrency: 10 })
    const byPath = Object.fromEntries(received.map((r) => [JSON.parse(r.body).data.video.id, JSON.parse(r.body)]))
    expect(byPath[va.id]).toMatchObject({ type: 'video.ready', data: { video: { title: 'Mine', status: 'ready', width: 320 }, session: { id: session.id } } })
    expect(byPath[vb.id]).toMatchObject({ type: 'video.ready', data: { video: { title: 'Theirs' } } })

    received.length = 0
    await db.transcodeSession.update({ where: { id: session.id }, data: { state: 'FAILED', error: 'boom', finishedAt: new Date(Date.now() + 1000) } })
    await db.content.update({ where: { hash }, data: { state: 'FAILED' } })
    // a: session.failed + video.failed; b is subscribed to video.ready only.
    expect(await enqueueSessionOutcome(session.id)).toBe(2)
    await deliverDueWebhooks({ ...FAST, concurrency: 10 })
    const types = received
      .map((r) => JSON.parse(r.body))
      .map((e) => `${e.type}`)
      .sort()
    expect(types).toEqual(['session.failed', 'video.failed'])
    const failed = received.map((r) => JSON.parse(r.body)).find((e) => e.type === 'session.failed')
    expect(failed.data).toMatchObject({ session: { id: session.id, error: 'boom' }, contentHash: hash, videoIds: [va.id] })

    // Redelivery: a new recorded delivery with the same event id and body.
    const page = await listDeliveries(a, hookA.id, { limit: 10 })
    const original = page.items.find((d) => d.event === 'session.failed')!
    const again = await redeliver(a, hookA.id, original.id)
    expect(again.id).not.toBe(original.id)
    expect(again.status).toBe('PENDING')
    await expect(redeliver(b, hookA.id, original.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    received.length = 0
    await deliverDueWebhooks(FAST)
    expect(JSON.parse(received[0].body).id).toBe(original.payload && (original.payload as { id: string }).id)
  })

  it('runs as a loop that NOTIFY wakes at once and that stops on abort', async () => {
    const actor = await owner()
    await createWebhook(actor, { url: `${base}/hook`, events: ['video.ready'], active: true })
    const ac = new AbortController()
    const loop = startWebhookDeliveries({ signal: ac.signal, policy: { pollEveryMs: 60_000 } })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = Date.now()
    await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {} })
    while (received.length === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20))
    expect(received).toHaveLength(1)
    // Far below the 60 s poll interval: the NOTIFY woke the loop.
    expect(Date.now() - t0).toBeLessThan(2000)
    ac.abort()
    await loop
  })
})
