import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { metricsHandler, observeRequest, recordBytesServed, setSocketClients } from '@/lib/metrics'

// /metrics as server.ts serves it: a pre-handler on a plain Node server, real Postgres behind the gauges.

// The environment is read once per process, so the token is in place before any module reads it.
vi.hoisted(() => {
  process.env.METRICS_TOKEN = 'metrics-token-for-tests'
})

let server: Server
let url = ''

beforeAll(async () => {
  server = createServer(async (req, res) => {
    for (const h of [observeRequest, metricsHandler]) if (await h(req, res)) return
    res.writeHead(req.url === '/missing' ? 404 : 200).end('next would answer this')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
  await disconnectDb()
})

describe('/metrics', () => {
  it('refuses anonymous scrapes and wrong tokens', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401)
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong' } })).status).toBe(401)
  })

  it('serves the Prometheus text format with requests, bytes, sessions, queue, encode speed and sockets', async () => {
    const hash = createHash('sha256').update(randomBytes(8)).digest('hex')
    await db.content.create({ data: { hash, size: 1n, mime: 'video/mp4' } })
    await db.transcodeSession.create({
      data: { contentHash: hash, state: 'RUNNING', encodeSpeed: 3.5, leaseOwner: 'x', leaseExpiresAt: new Date(Date.now() + 60_000) },
    })
    await db.transcodeSession.create({ data: { contentHash: hash, state: 'QUEUED', runAt: new Date(Date.now() + 60_000) } })
    await fetch(`${url}/api/v1/videos`)
    await fetch(`${url}/missing`)
    recordBytesServed(12345)
    setSocketClients(7, '/player')

    const res = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/reelhouse_http_requests_total\{method="GET",kind="api",status="200"\} 1/)
    expect(text).toMatch(/reelhouse_http_requests_total\{method="GET",kind="page",status="404"\} 1/)
    expect(text).toMatch(/reelhouse_bytes_served_total 12345/)
    expect(text).toMatch(/reelhouse_socketio_clients\{namespace="\/player"\} 7/)
    expect(text).toMatch(/reelhouse_sessions\{state="RUNNING"\} [1-9]/)
    expect(text).toMatch(/reelhouse_queue_depth\{kind="delayed"\} [1-9]/)
    expect(text).toMatch(/reelhouse_encode_speed_ratio\{stat="sum"\} 3\.5/)
    expect(text).toMatch(/reelhouse_workers_live \d+/)
    expect(text).toMatch(/reelhouse_webhook_deliveries\{status="PENDING"\} \d+/)
    expect(text).toMatch(/reelhouse_process_cpu_seconds_total/)
  })

  it('leaves other paths to the next handler', async () => {
    expect(await (await fetch(`${url}/metricsx`)).text()).toBe('next would answer this')
  })
})
