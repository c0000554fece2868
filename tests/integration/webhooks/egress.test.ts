import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { attemptDelivery } from '@/lib/webhooks/attempt'
import { deliverDueWebhooks } from '@/lib/webhooks/deliver'
import { egressPolicy, egressPolicyFrom } from '@/lib/webhooks/egress'
import { webhookAgent } from '@/lib/webhooks/egress-agent'
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue'
import { createWebhook, listDeliveries, redeliver, updateWebhook } from '@/lib/webhooks/manage'
import { WEBHOOK_POLICY, type WebhookPolicy } from '@/lib/webhooks/policy'

// The default egress policy (no WEBHOOK_* variables set) against a real receiver on loopback: no
// spelling of an internal address is accepted at registration, and none is dialled at delivery,
// including names that resolve to one and rows that got past registration.

let receiver: Server
let port = 0
let closedPort = 0
let hits = 0

const FAST: WebhookPolicy = { ...WEBHOOK_POLICY, timeoutMs: 2000, concurrency: 50 }

/** Every way of writing "this machine" the issue lists, plus other internal ranges. */
const internalHosts = (p: number) => [
  `http://127.0.0.1:${p}/`,
  `http://localhost:${p}/`,
  `http://LocalHost:${p}/`,
  `http://[::1]:${p}/`,
  `http://0.0.0.0:${p}/`,
  `http://2130706433:${p}/`,
  `http://127.1:${p}/`,
  `http://0x7f.1:${p}/`,
  `http://[::ffff:127.0.0.1]:${p}/`,
  `http://[::127.0.0.1]:${p}/`,
  `http://10.0.0.1:${p}/`,
  `http://172.16.5.4:${p}/`,
  `http://192.168.1.1:${p}/`,
  `http://100.64.0.1:${p}/`,
  `http://169.254.169.254/latest/meta-data/`,
  `http://[fd00:ec2::254]/`,
  `http://[fe80::1]:${p}/`,
  `http://[fc00::1]:${p}/`,
  `http://224.0.0.1:${p}/`,
  `http://255.255.255.255:${p}/`,
]

beforeAll(async () => {
  receiver = createServer((_req, res) => {
    hits++
    res.writeHead(200).end('internal service answer')
  })
  await new Promise<void>((r) => receiver.listen(0, '0.0.0.0', r))
  port = (receiver.address() as AddressInfo).port
  const closed = createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  closedPort = (closed.address() as AddressInfo).port
  await new Promise((r) => closed.close(r))
})

afterAll(async () => {
  receiver.closeAllConnections()
  await new Promise((r) => receiver.close(r))
  await disconnectDb()
})

beforeEach(async () => {
  hits = 0
  await db.webhookDelivery.deleteMany()
  await db.webhook.deleteMany()
})

async function owner(): Promise<Actor> {
  const u = await createUser({ email: `egress-${randomBytes(4).toString('hex')}@test.local`, password: 'password-123' })
  return { userId: u.id, email: u.email, role: 'USER', via: 'session', scopes: ['read', 'write'] }
}

/** A webhook row written past the registration check (made before the check existed, or a name re-pointed since). */
const plantWebhook = (ownerId: string, url: string) =>
  db.webhook.create({ data: { ownerId, url, secret: `whsec_${randomBytes(8).toString('hex')}`, events: ['video.ready'] } })

describe('webhook egress, default policy', () => {
  it('refuses every internal spelling at registration and on update, naming the field', async () => {
    const actor = await owner()
    for (const url of internalHosts(port)) {
      await expect(createWebhook(actor, { url, events: ['video.ready'], active: true }), url).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { errors: [{ path: 'url' }] },
      })
    }
    for (const url of ['http://example.com:22/', 'http://user:pass@example.com/']) {
      await expect(createWebhook(actor, { url, events: ['video.ready'], active: true }), url).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    }
    // A name that does not resolve (yet) is accepted: delivery checks again.
    const later = await createWebhook(actor, { url: 'https://hooks.example.invalid/in', events: ['video.ready'], active: true })
    await expect(updateWebhook(actor, later.id, { url: `http://localhost:${port}/` })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(await db.webhook.count()).toBe(1)
  })

  it('never dials an internal address at delivery, whatever the row says', async () => {
    const actor = await owner()
    // Plus a row that does not even parse as a URL.
    const urls = [...internalHosts(port), `http://[::1:${port}/`]
    for (const url of urls) await plantWebhook(actor.userId, url)
    expect(await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {} })).toBe(urls.length)
    const outcomes = await deliverDueWebhooks(FAST)
    expect(outcomes).toHaveLength(urls.length)
    for (const o of outcomes) expect(o).toMatchObject({ status: 'FAILED', errorClass: 'refused', responseCode: null })
    expect(hits).toBe(0)
  })

  it('gives redeliver nothing to probe with: open and closed ports are refused alike', async () => {
    const actor = await owner()
    const open = await plantWebhook(actor.userId, `http://127.0.0.1:${port}/admin`)
    const closed = await plantWebhook(actor.userId, `http://127.0.0.1:${closedPort}/admin`)
    await enqueueWebhookEvent({ ownerId: actor.userId, event: 'video.ready', payload: {} })
    await deliverDueWebhooks(FAST)
    for (const hook of [open, closed]) {
      const [first] = (await listDeliveries(actor, hook.id, { limit: 10 })).items
      await redeliver(actor, hook.id, first.id)
    }
    await deliverDueWebhooks(FAST)
    const seen = async (id: string) =>
      (await listDeliveries(actor, id, { limit: 10 })).items.map((d) => [d.status, d.errorClass, d.error?.replace(/\d+/g, 'N')])
    const openRows = await seen(open.id)
    expect(openRows).toHaveLength(2)
    expect(openRows.every(([status, cls]) => status === 'FAILED' && cls === 'refused')).toBe(true)
    expect(await seen(closed.id)).toEqual(openRows)
    expect(hits).toBe(0)
  })

  it('checks at connect time too: the agent refuses internal addresses given directly', async () => {
    const agent = webhookAgent(egressPolicy())
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:7f00:1]:${port}/`]) {
      await expect(request(url, { dispatcher: agent }), url).rejects.toMatchObject({ code: 'EGRESS_REFUSED' })
    }
    expect(hits).toBe(0)
  })

  it('lets an admin-allowed host through, resolved and dialled once', async () => {
    const policy = egressPolicyFrom({ allowPrivateNetworks: false, allowedHosts: ['localhost'], allowedPorts: [{ from: 1, to: 65535 }] })
    const ok = await attemptDelivery({ url: `http://localhost:${port}/`, body: '{}', headers: {}, policy, timeoutMs: 2000 })
    expect(ok).toMatchObject({ responseCode: 200, errorClass: null })
    // Allowing the name does not open the address under another name.
    const other = await attemptDelivery({ url: `http://127.0.0.1:${port}/`, body: '{}', headers: {}, policy, timeoutMs: 2000 })
    expect(other).toMatchObject({ errorClass: 'refused' })
    expect(hits).toBe(1)
  })
})
