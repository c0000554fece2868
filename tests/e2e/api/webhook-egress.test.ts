import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue'
import { base, userWithKey } from './client'

// An attacker with an API key against the running server and worker: webhooks must not reach this
// machine or its network. The test server runs the default egress policy plus one allowed host,
// 127.0.0.2 (WEBHOOK_ALLOWED_HOSTS in the e2e set-up), where the legitimate receiver listens.

interface Delivery {
  id: string
  status: string
  errorClass: string | null
  error: string | null
  responseCode: number | null
  durationMs: number | null
}

let internal: Server
let allowed: Server
let internalPort = 0
let allowedUrl = ''
let internalHits = 0
let allowedHits = 0

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((r) => server.listen(0, host, r))
  return (server.address() as AddressInfo).port
}

beforeAll(async () => {
  // Stands for an internal service: it would answer anyone who reached it.
  internal = createServer((_req, res) => {
    internalHits++
    res.writeHead(200, { 'content-type': 'text/plain' }).end('internal-secret-token')
  })
  allowed = createServer((req, res) => {
    req.resume().on('end', () => {
      allowedHits++
      res.writeHead(204).end()
    })
  })
  internalPort = await listen(internal, '0.0.0.0')
  allowedUrl = `http://127.0.0.2:${await listen(allowed, '127.0.0.2')}/hook`
})

afterAll(async () => {
  for (const s of [internal, allowed]) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
  await disconnectDb()
})

const post = (path: string, auth: Record<string, string>, body?: unknown, method = 'POST') =>
  fetch(`${base()}${path}`, { method, headers: { ...auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })

async function deliveriesOf(id: string, auth: Record<string, string>): Promise<Delivery[]> {
  const res = await fetch(`${base()}/api/v1/webhooks/${id}/deliveries?limit=100`, { headers: auth })
  expect(res.status).toBe(200)
  return ((await res.json()) as { items: Delivery[] }).items
}

/** Waits until the worker has finished every delivery of `id` (at least `count` of them). */
async function settled(id: string, auth: Record<string, string>, count: number): Promise<Delivery[]> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const items = await deliveriesOf(id, auth)
    if (items.length >= count && items.every((d) => d.status === 'SUCCEEDED' || d.status === 'FAILED')) return items
    if (Date.now() > deadline) throw new Error(`deliveries of ${id} did not settle: ${JSON.stringify(items)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('webhooks cannot reach internal addresses', () => {
  it('refuses every spelling of an internal address at registration and on update (422, field named)', async () => {
    const { auth } = await userWithKey('USER', ['read', 'write'])
    const p = internalPort
    const spellings = [
      `http://127.0.0.1:${p}/`,
      `http://localhost:${p}/`,
      `http://[::1]:${p}/`,
      `http://0.0.0.0:${p}/`,
      `http://2130706433:${p}/`,
      `http://127.1:${p}/`,
      `http://0x7f.1:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://10.0.0.1:${p}/`,
      `http://192.168.0.1:${p}/`,
      `http://100.64.0.1:${p}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      `http://[fe80::1]:${p}/`,
      'http://127.0.0.2:22/',
      'gopher://127.0.0.2:7000/',
    ]
    for (const url of spellings) {
      const res = await post('/api/v1/webhooks', auth, { url, events: ['video.ready'] })
      expect(res.status, url).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const problem = (await res.json()) as { errors: { path: string }[] }
      expect(
        problem.errors.map((e) => e.path),
        url,
      ).toEqual(['url'])
    }

    const made = await post('/api/v1/webhooks', auth, { url: allowedUrl, events: ['video.ready'] })
    expect(made.status).toBe(201)
    const { id } = (await made.json()) as { id: string }
    const moved = await post(`/api/v1/webhooks/${id}`, auth, { url: `http://localhost:${p}/` }, 'PATCH')
    expect(moved.status).toBe(422)
    const after = (await (await fetch(`${base()}/api/v1/webhooks/${id}`, { headers: auth })).json()) as { url: string }
    expect(after.url).toBe(allowedUrl)
    expect(internalHits).toBe(0)
  })

  it('delivers to the allowed receiver, refuses at delivery a URL that got past registration, and redeliver does not help', async () => {
    const { user, auth } = await userWithKey('USER', ['read', 'write'])
    const good = (await (await post('/api/v1/webhooks', auth, { url: allowedUrl, events: ['video.ready'] })).json()) as { id: string }
    // Two endpoints that passed registration and point inward now: a name re-pointed at this
    // machine, and a row from before registration was checked.
    const renamed = (await (await post('/api/v1/webhooks', auth, { url: allowedUrl, events: ['video.ready'] })).json()) as { id: string }
    await db.webhook.update({ where: { id: renamed.id }, data: { url: `http://localhost:${internalPort}/internal` } })
    const legacy = await db.webhook.create({
      data: { ownerId: user.id, url: `http://[::ffff:7f00:1]:${internalPort}/internal`, secret: 'whsec_legacy', events: ['video.ready'] },
    })

    expect(await enqueueWebhookEvent({ ownerId: user.id, event: 'video.ready', payload: { video: { id: 'v-egress' } } })).toBe(3)

    const [ok] = await settled(good.id, auth, 1)
    expect(ok).toMatchObject({ status: 'SUCCEEDED', responseCode: 204, errorClass: null, error: null })
    expect(ok.durationMs).toBeGreaterThanOrEqual(0)
    expect(allowedHits).toBe(1)

    for (const id of [renamed.id, legacy.id]) {
      const [refused] = await settled(id, auth, 1)
      expect(refused).toMatchObject({ status: 'FAILED', errorClass: 'refused', responseCode: null })
      expect(refused.error).toMatch(/loopback/)
      // Redeliver on demand: the same refusal, nothing dialled.
      const again = await post(`/api/v1/webhooks/${id}/deliveries/${refused.id}/redeliver`, auth)
      expect(again.status).toBe(202)
      const both = await settled(id, auth, 2)
      expect(both.map((d) => [d.status, d.errorClass])).toEqual([
        ['FAILED', 'refused'],
        ['FAILED', 'refused'],
      ])
    }
    expect(internalHits).toBe(0)
    const stored = JSON.stringify(await db.webhookDelivery.findMany({ where: { webhookId: { in: [good.id, renamed.id, legacy.id] } } }))
    expect(stored).not.toContain('internal-secret-token')
  })
})
