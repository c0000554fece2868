import { createHash } from 'node:crypto'
import http from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientAddress, OpenResponses, RETRY_AFTER_SECONDS } from '@/lib/streaming/admission'
import type { ContentOutcome, ContentUrl } from '@/lib/streaming/http-server'
import { READ_PIECE_BYTES, readBufferStats, SLOW_WRITE_FLOOR_MS, slowWriteMs } from '@/lib/streaming/pipe'
import { type ContentStore, makeContentStore, openDescriptors, PUBLIC_HASH, patterned, startServer, type TestServer, waitFor } from './helpers'

const BIG = 24 * 1024 * 1024
const BIG_PATH = `/api/v1/content/${PUBLIC_HASH}/streams/0/seg-00001.m4s`
/** Idle timeout of the second server: short, so the test does not wait a minute. */
const IDLE_MS = 1500

let store: ContentStore
let big: Buffer
/** Default policy (60 s idle timeout), no ceilings. */
let server: TestServer
/** Idle timeout of IDLE_MS. */
let impatient: TestServer
const outcomes: { server: string; outcome: ContentOutcome; at: number }[] = []

const recordAs = (name: string) => (outcome: ContentOutcome, _target: ContentUrl) => outcomes.push({ server: name, outcome, at: Date.now() })

beforeAll(async () => {
  store = await makeContentStore()
  big = await store.put(PUBLIC_HASH, 'streams/0/seg-00001.m4s', patterned(BIG))
  const authorize = async () => 'public' as const
  server = await startServer({ dataDir: store.dataDir, authorize, onDone: recordAs('default') })
  impatient = await startServer({ dataDir: store.dataDir, authorize, delivery: { idleTimeoutMs: IDLE_MS }, onDone: recordAs('impatient') })
})

afterAll(async () => {
  await server?.close()
  await impatient?.close()
  await store?.remove()
})

/** A raw client: sends the request and reads nothing until told to. */
function rawGet(port: number, path: string, headers: string[] = []): net.Socket {
  const socket = net.connect(port, '127.0.0.1')
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`)
  return socket
}

interface Received {
  head: string
  bodyBytes: number
  sha256: string
}

/**
 * Reads a raw response to its end (the server closes: `Connection: close`), pausing whenever
 * `pace(bodyBytesSoFar)` returns a delay in ms. The body is hashed, not kept.
 */
function readPaced(socket: net.Socket, pace: (bodyBytes: number) => number): Promise<Received> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0)
    let headDone = false
    let bodyBytes = 0
    const hash = createHash('sha256')
    socket.on('data', (chunk: Buffer) => {
      let body = chunk
      if (!headDone) {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end === -1) return
        headDone = true
        body = head.subarray(end + 4)
        head = head.subarray(0, end)
      }
      hash.update(body)
      bodyBytes += body.length
      const waitMs = pace(bodyBytes)
      if (waitMs > 0) {
        socket.pause()
        setTimeout(() => socket.resume(), waitMs)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve({ head: head.toString('latin1'), bodyBytes, sha256: hash.digest('hex') }))
    socket.resume()
  })
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

function nextOutcome(name: string, after: number): Promise<{ outcome: string; at: number }> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const found = outcomes.slice(after).find((o) => o.server === name)
      if (found) {
        clearInterval(poll)
        resolve(found)
      }
    }, 10)
  })
}

/** Every descriptor back to where it was, no file of the store open, no read buffer still lent out. */
async function descriptorsSettle(baseline: number): Promise<void> {
  const settled = await waitFor(() => openDescriptors().total <= baseline, 5000)
  expect(openDescriptors(store.dataDir).inside).toBe(0)
  expect(settled, `descriptors: ${openDescriptors().total}, baseline ${baseline}`).toBe(true)
  expect(await waitFor(() => readBufferStats().lentBytes === 0, 2000)).toBe(true)
}

describe('slow-write rule', () => {
  it('is the floor plus the pending bytes at the minimum rate', () => {
    expect(slowWriteMs(0)).toBe(SLOW_WRITE_FLOOR_MS)
    expect(slowWriteMs(64 * 1024, { idleTimeoutMs: 60_000, slowWriteFloorMs: 2000, minBytesPerSecond: 64 * 1024 })).toBe(3000)
    expect(slowWriteMs(1, { idleTimeoutMs: 60_000, slowWriteFloorMs: 2000, minBytesPerSecond: 1000 })).toBe(2001)
  })
})

describe('players that pause', () => {
  it('gives every byte to clients that read in bursts with 10 s pauses, one read piece each at most', async () => {
    const clients = 8
    const burst = 8 * 1024 * 1024
    const baseline = openDescriptors().total
    const before = outcomes.length
    let peakLent = 0
    const sampler = setInterval(() => {
      peakLent = Math.max(peakLent, readBufferStats().lentBytes)
    }, 20)
    const results = await Promise.all(
      Array.from({ length: clients }, (_, i) => {
        const start = i * 4096
        const socket = rawGet(server.port, BIG_PATH, [`Range: bytes=${start}-`])
        let nextPauseAt = burst
        // Like a browser whose media buffer is full, or a viewer who paused: nothing read for 10 s.
        const received = readPaced(socket, (got) => {
          if (got < nextPauseAt) return 0
          nextPauseAt += burst
          return 10_000
        })
        return received.then((r) => ({ ...r, start }))
      }),
    )
    clearInterval(sampler)
    for (const r of results) {
      expect(r.head).toMatch(/^HTTP\/1\.1 206 /)
      expect(r.bodyBytes).toBe(BIG - r.start)
      expect(r.sha256).toBe(sha256(big.subarray(r.start)))
    }
    expect(await waitFor(() => outcomes.slice(before).filter((o) => o.server === 'default').length >= clients, 5000)).toBe(true)
    expect(outcomes.slice(before).map((o) => o.outcome)).toEqual(Array(clients).fill('complete'))
    expect(peakLent).toBeLessThanOrEqual(clients * READ_PIECE_BYTES)
    await descriptorsSettle(baseline)
  }, 120_000)

  it('keeps a client that drains steadily, however long one write of ours stays pending', async () => {
    const before = outcomes.length
    // 8 MiB pieces drained at 2 MiB/s: each write of ours stays pending ~4 s, twice the idle timeout,
    // while the socket keeps taking bytes.
    const slowServer = await startServer({
      dataDir: store.dataDir,
      authorize: async () => 'public',
      pieceSize: 8 * 1024 * 1024,
      delivery: { idleTimeoutMs: 2000 },
      onDone: recordAs('steady'),
    })
    try {
      const socket = rawGet(slowServer.port, BIG_PATH)
      const rate = 2 * 1024 * 1024
      const began = Date.now()
      const r = await readPaced(socket, (got) => Math.min(100, (got / rate) * 1000 - (Date.now() - began)))
      expect(r.head).toMatch(/^HTTP\/1\.1 200 /)
      expect(r.bodyBytes).toBe(BIG)
      expect(r.sha256).toBe(sha256(big))
      expect((await nextOutcome('steady', before)).outcome).toBe('complete')
    } finally {
      await slowServer.close()
    }
  }, 120_000)
})

describe('clients that misbehave', () => {
  it('drops a client that accepts no bytes for the idle timeout, and closes the file', async () => {
    const baseline = openDescriptors().total
    const before = outcomes.length
    const started = Date.now()
    const socket = rawGet(impatient.port, BIG_PATH)
    socket.pause()
    const { outcome, at } = await nextOutcome('impatient', before)
    expect(outcome).toBe('stalled')
    expect(at - started).toBeGreaterThanOrEqual(IDLE_MS)
    // Closing a descriptor is asynchronous: allow it a moment.
    expect(await waitFor(() => openDescriptors(store.dataDir).inside === 0, 2000)).toBe(true)

    // The client, reading at last, sees a cut response: fewer bytes than the file, then the end.
    const r = await readPaced(socket, () => 0)
    expect(r.bodyBytes).toBeGreaterThan(0)
    expect(r.bodyBytes).toBeLessThan(BIG)
    await descriptorsSettle(baseline)
  }, 30_000)

  it('closes the file at once when hundreds of clients abort mid-stream', async () => {
    const baseline = openDescriptors().total
    const before = outcomes.length
    const clients = 300
    await Promise.all(
      Array.from(
        { length: clients },
        (_, i) =>
          new Promise<void>((resolve) => {
            const socket = rawGet(server.port, BIG_PATH, i % 2 ? [`Range: bytes=${i * 1000}-`] : [])
            socket.once('data', () => {
              socket.destroy()
              resolve()
            })
            socket.on('error', () => resolve())
          }),
      ),
    )
    const aborted = Date.now()
    expect(await waitFor(() => outcomes.length - before >= clients, 5000)).toBe(true)
    expect(outcomes.slice(before).every((o) => o.outcome === 'aborted')).toBe(true)
    expect(Math.max(...outcomes.slice(before).map((o) => o.at)) - aborted).toBeLessThan(1000)
    await descriptorsSettle(baseline)
  }, 15_000)

  it('closes the file when clients abort before reading anything', async () => {
    const baseline = openDescriptors().total
    await Promise.all(
      Array.from({ length: 200 }, () => {
        const socket = rawGet(server.port, BIG_PATH, ['Range: bytes=0-'])
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            socket.destroy()
            resolve()
          }),
        )
      }),
    )
    await descriptorsSettle(baseline)
  }, 15_000)
})

describe('connection ceilings', () => {
  /** Opens a media response from `localAddress` and keeps it open without reading: resolves with its status. */
  function openFrom(port: number, localAddress: string, opened: http.ClientRequest[]): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: BIG_PATH, localAddress, agent: false }, (res) => {
        res.pause()
        resolve(res)
      })
      req.on('error', reject)
      opened.push(req)
    })
  }

  async function problemOf(res: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = []
    res.resume()
    for await (const c of res) chunks.push(c as Buffer)
    return JSON.parse(Buffer.concat(chunks).toString())
  }

  it('answers 503 with Retry-After past the total and the per-address ceilings, and counts a closed response out', async () => {
    const baseline = openDescriptors().total
    const openResponses = new OpenResponses({ maxConnections: 3, maxConnectionsPerClient: 2 })
    const limited = await startServer({ dataDir: store.dataDir, authorize: async () => 'public', openResponses })
    const opened: http.ClientRequest[] = []
    try {
      const first = await Promise.all([openFrom(limited.port, '127.0.0.1', opened), openFrom(limited.port, '127.0.0.1', opened)])
      expect(first.map((r) => r.statusCode)).toEqual([200, 200])

      const sameAddress = await openFrom(limited.port, '127.0.0.1', opened)
      expect(sameAddress.statusCode).toBe(503)
      expect(sameAddress.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS))
      expect(sameAddress.headers['content-type']).toBe('application/problem+json')
      expect(await problemOf(sameAddress)).toMatchObject({ status: 503, code: 'UNAVAILABLE' })

      const otherAddress = await openFrom(limited.port, '127.0.0.2', opened)
      expect(otherAddress.statusCode).toBe(200)
      const serverFull = await openFrom(limited.port, '127.0.0.3', opened)
      expect(serverFull.statusCode).toBe(503)
      expect(serverFull.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS))
      await problemOf(serverFull)
      expect(openResponses.open).toBe(3)

      // A viewer who leaves frees its place.
      opened[0].destroy()
      expect(await waitFor(() => openResponses.open === 2, 5000)).toBe(true)
      const again = await openFrom(limited.port, '127.0.0.1', opened)
      expect(again.statusCode).toBe(200)
    } finally {
      for (const req of opened) req.destroy()
      await limited.close()
    }
    expect(await waitFor(() => openResponses.open === 0, 5000)).toBe(true)
    await descriptorsSettle(baseline)
  }, 30_000)
})

describe('clientAddress', () => {
  it('counts an IPv4 client seen through a dual-stack socket as itself', () => {
    expect(clientAddress('::ffff:10.0.0.7')).toBe('10.0.0.7')
    expect(clientAddress('10.0.0.7')).toBe('10.0.0.7')
    expect(clientAddress('2001:db8::1')).toBe('2001:db8::1')
    expect(clientAddress('::ffff:zz')).toBe('::ffff:zz')
  })
})
