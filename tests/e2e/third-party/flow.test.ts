import { execFile } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { Upload } from 'tus-js-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base, makeMp4, userWithKey } from '../api/client'

// A third party integrating from the documentation alone: a plain fetch client that finds every
// call in the served OpenAPI document by operationId, a webhook receiver that checks signatures
// the way the document describes (its own HMAC code, not Reelhouse's), tus-js-client for the bytes,
// and FFmpeg to prove the stream plays. Needs the transcode pipeline and the webhook delivery loop
// running in the worker.

const run = promisify(execFile)

interface Spec {
  paths: Record<string, Record<string, { operationId?: string }>>
}

/** The documented way to check `Reelhouse-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256(secret, `${t}.${body}`). */
function signatureValid(header: string | undefined, body: string, secret: string): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=') as [string, string]))
  const t = Number(parts.t)
  if (!parts.v1 || !Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > 300) return false
  const mine = createHmac('sha256', secret).update(`${t}.${body}`).digest()
  const theirs = Buffer.from(parts.v1, 'hex')
  return theirs.length === mine.length && timingSafeEqual(theirs, mine)
}

class Client {
  constructor(
    private spec: Spec,
    private key: string,
  ) {}

  async call<T>(operationId: string, opts: { params?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: T }> {
    for (const [path, item] of Object.entries(this.spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.operationId !== operationId) continue
        const url = base() + path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(opts.params?.[k] ?? ''))
        const res = await fetch(url, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${this.key}`, ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        })
        const text = await res.text()
        return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
      }
    }
    throw new Error(`operation ${operationId} is not in the document`)
  }
}

interface Event {
  id: string
  type: string
  data: { video?: { id: string; status: string } }
}

let receiver: Server
let hookUrl = ''
let secret = ''
const events: { event: Event; signed: boolean; headers: Record<string, unknown> }[] = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const signed = signatureValid(req.headers['reelhouse-signature'] as string | undefined, body, secret)
      events.push({ event: JSON.parse(body) as Event, signed, headers: req.headers })
      res.writeHead(signed ? 204 : 400).end()
    })
  })
  // 127.0.0.2: the address the test server's webhook policy allows (loopback is refused by default).
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.2', r))
  hookUrl = `http://127.0.0.2:${(receiver.address() as AddressInfo).port}/reelhouse`
})

afterAll(async () => {
  receiver.closeAllConnections()
  await new Promise((r) => receiver.close(r))
  await disconnectDb()
})

describe('third-party integration, following the OpenAPI document', () => {
  it('direct upload → video.ready webhook (signed) → playback token → manifest that FFmpeg decodes', { timeout: 300_000 }, async () => {
    const spec = (await (await fetch(`${base()}/api/v1/openapi.json`)).json()) as Spec
    const { key } = await userWithKey('USER', ['read', 'write'])
    const api = new Client(spec, key)

    const hook = await api.call<{ id: string; secret: string }>('createWebhook', { body: { url: hookUrl, events: ['video.ready', 'video.failed'] } })
    expect(hook.status).toBe(201)
    secret = hook.body.secret

    const direct = await api.call<{ id: string; uploadUrl: string; expiresAt: string }>('createDirectUpload', {
      body: { title: 'From a partner', visibility: 'PRIVATE', ttlSeconds: 900 },
    })
    expect(direct.status).toBe(201)
    expect(Date.parse(direct.body.expiresAt)).toBeGreaterThan(Date.now())

    // The device that uploads holds only the URL: no key, no cookie.
    const clip = makeMp4('partner.mp4', { seconds: 4, size: '640x360', seed: 4242 })
    const bytes = await readFile(clip)
    let videoId: string | null = null
    await new Promise<void>((resolve, reject) => {
      const up = new Upload(bytes, {
        endpoint: direct.body.uploadUrl,
        chunkSize: 256 * 1024,
        metadata: { filename: 'partner.mp4', filetype: 'video/mp4' },
        retryDelays: [0, 500],
        onAfterResponse(_req, res) {
          videoId ??= res.getHeader('Reelhouse-Video-Id') ?? null
        },
        onSuccess: () => resolve(),
        onError: reject,
      })
      up.start()
    })
    expect(videoId).toBeTruthy()

    const deadline = Date.now() + 240_000
    let ready: (typeof events)[number] | undefined
    while (!ready && Date.now() < deadline) {
      const failed = events.find((e) => e.event.type === 'video.failed' && e.event.data.video?.id === videoId)
      if (failed) throw new Error(`processing failed: ${JSON.stringify(failed.event.data)}`)
      ready = events.find((e) => e.event.type === 'video.ready' && e.event.data.video?.id === videoId)
      if (!ready) await new Promise((r) => setTimeout(r, 500))
    }
    expect(ready, 'no video.ready webhook arrived').toBeTruthy()
    expect(ready!.signed).toBe(true)
    expect(ready!.headers['reelhouse-event']).toBe('video.ready')
    expect(ready!.event.data.video?.status).toBe('ready')

    const video = await api.call<{ title: string; visibility: string; status: string }>('getVideo', { params: { id: videoId! } })
    expect(video.body).toMatchObject({ title: 'From a partner', visibility: 'PRIVATE', status: 'ready' })

    const token = await api.call<{ urls: { hls: string | null; dash: string | null } }>('createPlaybackToken', {
      params: { id: videoId! },
      body: { ttlSeconds: 600 },
    })
    expect(token.status).toBe(201)
    expect(token.body.urls.hls).toBeTruthy()
    // The token URL alone opens the private stream.
    const manifestUrl = base() + token.body.urls.hls!
    const manifest = await fetch(manifestUrl)
    expect(manifest.status).toBe(200)
    expect(await manifest.text()).toMatch(/^#EXTM3U/)
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-xerror', '-i', manifestUrl, '-map', '0', '-f', 'null', '-'], { timeout: 120_000 })
    expect(stderr.trim()).toBe('')

    // The delivery is recorded on the webhook.
    const deliveries = await api.call<{ items: { status: string; event: string }[] }>('listWebhookDeliveries', { params: { id: hook.body.id } })
    expect(deliveries.body.items.some((d) => d.event === 'video.ready' && d.status === 'SUCCEEDED')).toBe(true)
  })
})
