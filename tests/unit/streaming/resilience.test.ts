import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContentOutcome, ContentUrl } from '@/lib/streaming/http-server'
import { readBufferStats, STALL_FLOOR_MS, stallTimeoutMs } from '@/lib/streaming/pipe'
import {
  type ContentStore,
  makeContentStore,
  openDescriptors,
  PUBLIC_HASH,
  patterned,
  startServer,
  type TestServer,
  waitFor,
} from './helpers'

const BIG = 24 * 1024 * 1024
const BIG_PATH = `/api/v1/content/${PUBLIC_HASH}/streams/0/seg-00001.m4s`

let store: ContentStore
let server: TestServer
let big: Buffer
const outcomes: { outcome: ContentOutcome; at: number }[] = []

beforeAll(async () => {
  store = await makeContentStore()
  big = await store.put(PUBLIC_HASH, 'streams/0/seg-00001.m4s', patterned(BIG))
  server = await startServer({
    dataDir: store.dataDir,
    authorize: async () => 'public',
    onDone: (outcome: ContentOutcome, _target: ContentUrl) => outcomes.push({ outcome, at: Date.now() }),
  })
})

afterAll(async () => {
  await server?.close()
  await store?.remove()
})

/** A raw client: sends the request and reads nothing until told to. */
function rawGet(path: string, headers: string[] = []): net.Socket {
  const socket = net.connect(server.port, '127.0.0.1')
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`)
  return socket
}

function nextOutcome(after: number): Promise<{ outcome: string; at: number }> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const found = outcomes.slice(after)[0]
      if (found) {
        clearInterval(poll)
        resolve(found)
      }
    }, 10)
  })
}

/** Every descriptor back to where it was, no file of the store open, no read buffer still lent out. */
async function descriptorsSettle(baseline: number): Promise<void> {
  const settled = await waitFor(() => openDescriptors().total <= baseline, 3000)
  expect(openDescriptors(store.dataDir).inside).toBe(0)
  expect(settled, `descriptors: ${openDescriptors().total}, baseline ${baseline}`).toBe(true)
  expect(readBufferStats().lentBytes).toBe(0)
}

describe('stall timeout formula', () => {
  it('is the floor plus the pending bytes at the minimum rate', () => {
    expect(stallTimeoutMs(0)).toBe(STALL_FLOOR_MS)
    expect(stallTimeoutMs(64 * 1024, { floorMs: 2000, minBytesPerSecond: 64 * 1024 })).toBe(3000)
    expect(stallTimeoutMs(1, { floorMs: 2000, minBytesPerSecond: 1000 })).toBe(2001)
  })
})

describe('clients that misbehave', () => {
  it('drops a client that stops reading, after the adaptive timeout, and closes the file', async () => {
    const baseline = openDescriptors().total
    const before = outcomes.length
    const started = Date.now()
    const socket = rawGet(BIG_PATH)
    socket.pause()
    const { outcome, at } = await nextOutcome(before)
    expect(outcome).toBe('stalled')
    // Never before the floor; and well before the whole file could have been refused by a slow-but-alive rule.
    expect(at - started).toBeGreaterThanOrEqual(STALL_FLOOR_MS)
    expect(at - started).toBeLessThan(STALL_FLOOR_MS + 8000)
    // Closing a descriptor is asynchronous: allow it a moment.
    expect(await waitFor(() => openDescriptors(store.dataDir).inside === 0, 500)).toBe(true)

    // The client, reading at last, sees a cut response: fewer bytes than the file, then the end.
    let received = 0
    socket.on('data', (c: Buffer) => {
      received += c.length
    })
    socket.resume()
    await new Promise((resolve) => socket.on('close', resolve))
    expect(received).toBeGreaterThan(0)
    expect(received).toBeLessThan(BIG)
    await descriptorsSettle(baseline)
  }, 15_000)

  it('keeps a client that pauses for less than the floor and delivers every byte', async () => {
    const before = outcomes.length
    const socket = rawGet(BIG_PATH)
    socket.pause()
    await new Promise((r) => setTimeout(r, STALL_FLOOR_MS * 0.6))
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.resume()
    await new Promise((resolve) => socket.on('close', resolve))
    const raw = Buffer.concat(chunks)
    const bodyStart = raw.indexOf('\r\n\r\n') + 4
    expect(raw.subarray(0, bodyStart).toString()).toContain(`Content-Length: ${BIG}`)
    expect(raw.subarray(bodyStart).equals(big)).toBe(true)
    expect((await nextOutcome(before)).outcome).toBe('complete')
  }, 15_000)

  it('closes the file at once when hundreds of clients abort mid-stream', async () => {
    const baseline = openDescriptors().total
    const before = outcomes.length
    const clients = 300
    await Promise.all(
      Array.from(
        { length: clients },
        (_, i) =>
          new Promise<void>((resolve) => {
            const socket = rawGet(BIG_PATH, i % 2 ? [`Range: bytes=${i * 1000}-`] : [])
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
        const socket = rawGet(BIG_PATH, ['Range: bytes=0-'])
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
