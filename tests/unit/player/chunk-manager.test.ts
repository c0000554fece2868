import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ChunkError, ChunkManager, DEFAULT_CHUNK_CONFIG } from '@/lib/player/ChunkManager'
import type { Logger } from '@/lib/player/debug'
import { patterned, type RangeServer, startRangeServer } from './range-server'

const quiet: Logger = { debug() {}, warn() {}, error() {} }
const FILE = patterned(3 * 1024 * 1024 + 123)

describe('ChunkManager against a real range server', () => {
  let srv: RangeServer
  beforeAll(async () => {
    srv = await startRangeServer({ '/file': FILE })
  })
  afterAll(() => srv.close())
  beforeEach(() => {
    srv.seen.length = 0
    srv.peak = 0
  })

  it('keeps the defaults for what a partial config leaves out, and refuses values it cannot work with', async () => {
    const cm = new ChunkManager({ chunkSize: 1024 }, { log: quiet })
    expect(cm.getConfig()).toEqual({ ...DEFAULT_CHUNK_CONFIG, chunkSize: 1024 })
    // The chunk size given is the one requested over HTTP.
    const third = await cm.requestChunkByIndex(`${srv.url}/file`, 2)
    expect(srv.seen[0].range).toBe('bytes=2048-3071')
    expect(Buffer.from(third.data).equals(FILE.subarray(2048, 3072))).toBe(true)
    for (const bad of [{ chunkSize: 0 }, { chunkSize: 1.5 }, { maxConcurrentChunks: 0 }, { retryAttempts: -1 }, { timeout: 0 }])
      expect(() => new ChunkManager(bad, { log: quiet })).toThrow(RangeError)
  })

  it('fetches exact byte ranges, clips the last chunk and reports the total size', async () => {
    const cm = new ChunkManager({}, { log: quiet })
    const first = await cm.requestChunkByIndex(`${srv.url}/file`, 0)
    expect(first.start).toBe(0)
    expect(first.end).toBe(524287)
    expect(Buffer.from(first.data).equals(FILE.subarray(0, 524288))).toBe(true)
    expect(first.totalSize).toBe(FILE.length)
    expect(srv.seen[0].range).toBe('bytes=0-524287')

    const lastIndex = Math.floor((FILE.length - 1) / 524288)
    const last = await cm.requestChunkByIndex(`${srv.url}/file`, lastIndex, 'normal', { totalSize: FILE.length })
    expect(last.end).toBe(FILE.length - 1)
    expect(Buffer.from(last.data).equals(FILE.subarray(lastIndex * 524288))).toBe(true)
  })

  it('never has more than maxConcurrentChunks requests in flight', async () => {
    const cm = new ChunkManager({ chunkSize: 64 * 1024 }, { log: quiet })
    const all = Array.from({ length: 10 }, (_, i) => cm.requestChunkByIndex(`${srv.url}/file?delay=40`, i))
    await new Promise((r) => setTimeout(r, 10))
    expect(cm.getStats().activeRequests).toBe(3)
    expect(cm.getStats().queuedRequests).toBe(7)
    await Promise.all(all)
    expect(srv.peak).toBe(3)
    expect(cm.getStats().peakConcurrency).toBe(3)
    expect(cm.getStats().completedRequests).toBe(10)

    srv.peak = 0
    cm.setConfig({ maxConcurrentChunks: 1 })
    await Promise.all(Array.from({ length: 4 }, (_, i) => cm.requestChunkByIndex(`${srv.url}/file?delay=20`, i)))
    expect(srv.peak).toBe(1)
  })

  it('serves the queue by priority (the playhead or seek target first), FIFO within a priority', async () => {
    const cm = new ChunkManager({ chunkSize: 1024, maxConcurrentChunks: 1 }, { log: quiet })
    const url = `${srv.url}/file?delay=30`
    const blocker = cm.requestChunkByIndex(url, 0, 'normal')
    const order: string[] = []
    const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name))
    await Promise.all([
      blocker,
      track('low', cm.requestChunkByIndex(url, 1, 'low')),
      track('normal-a', cm.requestChunkByIndex(url, 2, 'normal')),
      track('high', cm.requestChunkByIndex(url, 3, 'high')),
      track('normal-b', cm.requestChunkByIndex(url, 4, 'normal')),
      track('critical', cm.requestChunkByIndex(url, 5, 'critical')),
    ])
    expect(order).toEqual(['critical', 'high', 'normal-a', 'normal-b', 'low'])
    expect(srv.seen.map((s) => s.start! / 1024)).toEqual([0, 5, 3, 2, 4, 1])
    expect(cm.getStats().completedByPriority).toEqual({ critical: 1, high: 1, normal: 3, low: 1 })
  })

  it('retries 5xx with exponential backoff from retryDelay, then succeeds', async () => {
    const cm = new ChunkManager({ retryDelay: 100 }, { log: quiet })
    const res = await cm.requestChunk(`${srv.url}/file?fail=2&key=a`, 0, 99)
    expect(res.attempts).toBe(3)
    expect(res.data.length).toBe(100)
    const times = srv.seen.map((s) => s.at)
    expect(times).toHaveLength(3)
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(95)
    expect(times[1] - times[0]).toBeLessThan(180)
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(195)
    const stats = cm.getStats()
    expect(stats.retries).toBe(2)
    expect(stats.requestsSent).toBe(3)
    expect(stats.completedRequests).toBe(1)
  })

  it('gives up after retryAttempts retries with the last error', async () => {
    const cm = new ChunkManager({ retryDelay: 10 }, { log: quiet })
    const err = await cm.requestChunk(`${srv.url}/file?fail=9&key=b`, 0, 99).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ChunkError)
    expect((err as ChunkError).status).toBe(503)
    expect(srv.seen).toHaveLength(3)
    expect(cm.getStats().failedRequests).toBe(1)
    expect(cm.getStats().lastError).toContain('503')
  })

  it('does not retry what cannot succeed (404, 416, a server that ignores Range)', async () => {
    const cm = new ChunkManager({ retryDelay: 10 }, { log: quiet })
    const missing = (await cm.requestChunk(`${srv.url}/nope`, 0, 9).catch((e) => e)) as ChunkError
    expect(missing.kind).toBe('http')
    expect(missing.status).toBe(404)
    const beyond = (await cm.requestChunk(`${srv.url}/file`, FILE.length + 10, FILE.length + 20).catch((e) => e)) as ChunkError
    expect(beyond.kind).toBe('range')
    const ignored = (await cm.requestChunk(`${srv.url}/file?norange`, 100, 199).catch((e) => e)) as ChunkError
    expect(ignored.kind).toBe('protocol')
    expect(srv.seen).toHaveLength(3)
    // From byte 0 a 200 is usable: keep the part asked for.
    const whole = await cm.requestChunk(`${srv.url}/file?norange`, 0, 99)
    expect(whole.data.length).toBe(100)
  })

  it('times out a request that does not answer, counting each attempt', async () => {
    const cm = new ChunkManager({ timeout: 150, retryAttempts: 1, retryDelay: 20 }, { log: quiet })
    const t0 = performance.now()
    const err = (await cm.requestChunk(`${srv.url}/file?hang`, 0, 99).catch((e) => e)) as ChunkError
    const took = performance.now() - t0
    expect(err.kind).toBe('timeout')
    expect(took).toBeGreaterThanOrEqual(300)
    expect(took).toBeLessThan(1500)
    expect(cm.getStats().timeouts).toBe(2)
    expect(srv.seen).toHaveLength(2)
  })

  it('cancels active and queued requests through AbortSignal; queued ones never reach the server', async () => {
    const cm = new ChunkManager({ maxConcurrentChunks: 1 }, { log: quiet })
    const ac = new AbortController()
    const active = cm.requestChunk(`${srv.url}/file?hang`, 0, 99, 'normal', { signal: ac.signal }).catch((e) => e)
    const queued = cm.requestChunk(`${srv.url}/file`, 100, 199, 'normal', { signal: ac.signal }).catch((e) => e)
    for (let i = 0; i < 200 && srv.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(cm.getStats()).toMatchObject({ activeRequests: 1, queuedRequests: 1 })
    ac.abort()
    const [a, q] = (await Promise.all([active, queued])) as ChunkError[]
    expect(a.kind).toBe('aborted')
    expect(q.kind).toBe('aborted')
    expect(cm.getStats()).toMatchObject({ activeRequests: 0, queuedRequests: 0, cancelledRequests: 2, failedRequests: 0 })
    await new Promise((r) => setTimeout(r, 50))
    expect(srv.seen).toHaveLength(1)
    expect(srv.aborted).toBeGreaterThanOrEqual(1)
    // The slot is free again.
    await expect(cm.requestChunk(`${srv.url}/file`, 0, 9)).resolves.toMatchObject({ start: 0, end: 9 })
  })

  it('cancelAll (and dispose) clears everything, including requests waiting to retry', async () => {
    const cm = new ChunkManager({ retryDelay: 5000, maxConcurrentChunks: 1 }, { log: quiet })
    const retrying = cm.requestChunk(`${srv.url}/file?fail=5&key=c`, 0, 9).catch((e) => e)
    const queued = cm.requestChunk(`${srv.url}/file?delay=10`, 0, 9).catch((e) => e)
    for (let i = 0; i < 200 && cm.getStats().retryingRequests === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(cm.getStats().retryingRequests).toBe(1)
    expect(cm.cancelAll()).toBeGreaterThanOrEqual(1)
    await expect(retrying).resolves.toMatchObject({ kind: 'aborted' })
    await queued
    cm.dispose()
    await expect(cm.requestChunk(`${srv.url}/file`, 0, 9)).rejects.toMatchObject({ kind: 'aborted' })
    expect(cm.getStats().retryingRequests).toBe(0)
  })

  it('keeps stats: bytes, latency, request counts', async () => {
    const cm = new ChunkManager({ chunkSize: 100_000 }, { log: quiet })
    await Promise.all([0, 1, 2, 3].map((i) => cm.requestChunkByIndex(`${srv.url}/file?delay=5`, i, 'high')))
    const s = cm.getStats()
    expect(s.bytesLoaded).toBe(400_000)
    expect(s.completedRequests).toBe(4)
    expect(s.requestsSent).toBe(4)
    expect(s.averageLatencyMs).toBeGreaterThanOrEqual(5)
    expect(s.lastLatencyMs).not.toBeNull()
    expect(s.config.chunkSize).toBe(100_000)
  })

  it('rejects invalid ranges and configs', async () => {
    const cm = new ChunkManager({}, { log: quiet })
    await expect(cm.requestChunk(`${srv.url}/file`, 10, 5)).rejects.toThrow(RangeError)
    expect(() => new ChunkManager({ maxConcurrentChunks: 0 })).toThrow(RangeError)
    expect(() => cm.setConfig({ chunkSize: 1.5 })).toThrow(RangeError)
  })
})
