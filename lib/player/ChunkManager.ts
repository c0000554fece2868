import { type Logger, playerLog } from './debug'

// The chunk delivery layer (the lowest-priority traffic): HTTP range requests for byte ranges of
// one media URL, at most `maxConcurrentChunks` at a time, taken from a priority queue (the chunk
// at the playhead or a seek target goes first), each with a timeout and retried with exponential
// backoff. It knows nothing about media, players or commands; callers cancel with an
// AbortSignal or cancelAll(). Runs in browsers and in Node (fetch + AbortController).

export type ChunkPriority = 'critical' | 'high' | 'normal' | 'low'
const RANK: Record<ChunkPriority, number> = { critical: 0, high: 1, normal: 2, low: 3 }

export interface ChunkManagerConfig {
  /** Bytes per chunk. */
  chunkSize: number
  /** Seconds of media the streaming layer keeps requested ahead of the playhead. */
  aheadTime: number
  maxConcurrentChunks: number
  /** Retries after the first attempt (so 2 means up to 3 attempts). */
  retryAttempts: number
  /** Delay before the first retry (ms); doubles for each further retry. */
  retryDelay: number
  /** Per attempt, headers and body (ms). */
  timeout: number
}

export const DEFAULT_CHUNK_CONFIG: Readonly<ChunkManagerConfig> = Object.freeze({
  chunkSize: 512 * 1024,
  aheadTime: 5,
  maxConcurrentChunks: 3,
  retryAttempts: 2,
  retryDelay: 1000,
  timeout: 8000,
})

export type ChunkErrorKind = 'http' | 'network' | 'timeout' | 'aborted' | 'protocol' | 'range'

export class ChunkError extends Error {
  readonly kind: ChunkErrorKind
  readonly status?: number
  constructor(kind: ChunkErrorKind, message: string, status?: number) {
    super(message)
    this.name = kind === 'aborted' ? 'AbortError' : 'ChunkError'
    this.kind = kind
    this.status = status
  }
  /** Network failures, timeouts, 5xx, 408 and 429 are worth another attempt; the rest are not. */
  get retryable(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true
    return this.kind === 'http' && this.status !== undefined && (this.status >= 500 || this.status === 408 || this.status === 429)
  }
}

export interface ChunkResponse {
  url: string
  start: number
  /** Inclusive; may be below the requested end at the end of the file. */
  end: number
  data: Uint8Array
  /** The full size of the resource, from Content-Range. */
  totalSize: number | null
  contentType: string | null
  priority: ChunkPriority
  attempts: number
  latencyMs: number
}

export interface ChunkRequestOptions {
  signal?: AbortSignal
}

export interface ChunkStats {
  activeRequests: number
  queuedRequests: number
  /** Requests waiting out a backoff delay before their next attempt. */
  retryingRequests: number
  /** HTTP requests sent (attempts, including retries). */
  requestsSent: number
  completedRequests: number
  failedRequests: number
  cancelledRequests: number
  retries: number
  timeouts: number
  bytesLoaded: number
  averageLatencyMs: number
  lastLatencyMs: number | null
  /** The most requests ever in flight at once (never above maxConcurrentChunks). */
  peakConcurrency: number
  completedByPriority: Record<ChunkPriority, number>
  lastError: string | null
  config: ChunkManagerConfig
}

interface Entry {
  url: string
  start: number
  end: number
  priority: ChunkPriority
  seq: number
  attempt: number
  state: 'queued' | 'active' | 'waiting' | 'settled'
  signal?: AbortSignal
  controller: AbortController | null
  retryTimer: ReturnType<typeof setTimeout> | null
  resolve: (r: ChunkResponse) => void
  reject: (e: unknown) => void
  detach: () => void
}

export interface ChunkManagerDeps {
  fetch?: typeof fetch
  log?: Logger
}

const CONTENT_RANGE_RE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/

export class ChunkManager {
  private config: ChunkManagerConfig
  private readonly fetchFn: typeof fetch
  private readonly log: Logger
  private readonly queue: Entry[] = []
  private readonly active = new Set<Entry>()
  private readonly waiting = new Set<Entry>()
  private seq = 0
  private disposed = false
  private readonly stats = {
    requestsSent: 0,
    completedRequests: 0,
    failedRequests: 0,
    cancelledRequests: 0,
    retries: 0,
    timeouts: 0,
    bytesLoaded: 0,
    latencyTotal: 0,
    lastLatencyMs: null as number | null,
    peakConcurrency: 0,
    completedByPriority: { critical: 0, high: 0, normal: 0, low: 0 } as Record<ChunkPriority, number>,
    lastError: null as string | null,
  }

  constructor(config: Partial<ChunkManagerConfig> = {}, deps: ChunkManagerDeps = {}) {
    this.config = validConfig({ ...DEFAULT_CHUNK_CONFIG, ...config })
    this.fetchFn = deps.fetch ?? ((...args) => fetch(...args))
    this.log = deps.log ?? playerLog('ChunkManager')
  }

  setConfig(partial: Partial<ChunkManagerConfig>): void {
    this.config = validConfig({ ...this.config, ...partial })
    this.pump()
  }

  getConfig(): ChunkManagerConfig {
    return { ...this.config }
  }

  /** The inclusive byte range of chunk `index`, clipped to `totalSize` when known. */
  chunkRange(index: number, totalSize?: number | null): [number, number] {
    const start = index * this.config.chunkSize
    const end = start + this.config.chunkSize - 1
    return [start, totalSize ? Math.min(end, totalSize - 1) : end]
  }

  chunkIndexOf(byte: number): number {
    return Math.floor(byte / this.config.chunkSize)
  }

  /** Queues a range request for bytes `startByte..endByte` (inclusive); resolves with the bytes. */
  requestChunk(url: string, startByte: number, endByte: number, priority: ChunkPriority = 'normal', opts: ChunkRequestOptions = {}): Promise<ChunkResponse> {
    if (this.disposed) return Promise.reject(new ChunkError('aborted', 'chunk manager disposed'))
    if (!(Number.isInteger(startByte) && Number.isInteger(endByte) && startByte >= 0 && endByte >= startByte)) {
      return Promise.reject(new RangeError(`invalid byte range ${startByte}-${endByte}`))
    }
    if (opts.signal?.aborted) {
      this.stats.cancelledRequests++
      return Promise.reject(new ChunkError('aborted', 'request cancelled'))
    }
    return new Promise<ChunkResponse>((resolve, reject) => {
      const entry: Entry = {
        url,
        start: startByte,
        end: endByte,
        priority,
        seq: this.seq++,
        attempt: 0,
        state: 'queued',
        signal: opts.signal,
        controller: null,
        retryTimer: null,
        resolve,
        reject,
        detach: () => {},
      }
      if (opts.signal) {
        const onAbort = () => this.cancelEntry(entry, 'request cancelled')
        opts.signal.addEventListener('abort', onAbort, { once: true })
        entry.detach = () => opts.signal?.removeEventListener('abort', onAbort)
      }
      this.enqueue(entry)
      this.pump()
    })
  }

  /** Chunk `index` of `url` (see chunkRange). */
  requestChunkByIndex(
    url: string,
    index: number,
    priority: ChunkPriority = 'normal',
    opts: ChunkRequestOptions & { totalSize?: number | null } = {},
  ): Promise<ChunkResponse> {
    const [start, end] = this.chunkRange(index, opts.totalSize)
    return this.requestChunk(url, start, end, priority, opts)
  }

  /** Cancels every queued, waiting or active request (optionally only those matching). Returns how many. */
  cancelAll(match?: (r: { url: string; start: number; end: number; priority: ChunkPriority }) => boolean, reason = 'cancelled'): number {
    const all = [...this.queue, ...this.waiting, ...this.active].filter((e) => !match || match(e))
    for (const e of all) this.cancelEntry(e, reason)
    return all.length
  }

  getStats(): ChunkStats {
    const s = this.stats
    return {
      activeRequests: this.active.size,
      queuedRequests: this.queue.length,
      retryingRequests: this.waiting.size,
      requestsSent: s.requestsSent,
      completedRequests: s.completedRequests,
      failedRequests: s.failedRequests,
      cancelledRequests: s.cancelledRequests,
      retries: s.retries,
      timeouts: s.timeouts,
      bytesLoaded: s.bytesLoaded,
      averageLatencyMs: s.completedRequests ? Math.round(s.latencyTotal / s.completedRequests) : 0,
      lastLatencyMs: s.lastLatencyMs,
      peakConcurrency: s.peakConcurrency,
      completedByPriority: { ...s.completedByPriority },
      lastError: s.lastError,
      config: this.getConfig(),
    }
  }

  /** Cancels everything and refuses new requests. */
  dispose(): void {
    this.cancelAll(undefined, 'chunk manager disposed')
    this.disposed = true
  }

  private enqueue(entry: Entry): void {
    entry.state = 'queued'
    const key = (e: Entry) => RANK[e.priority] * 2 ** 40 + e.seq
    const k = key(entry)
    let lo = 0
    let hi = this.queue.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (key(this.queue[mid]) <= k) lo = mid + 1
      else hi = mid
    }
    this.queue.splice(lo, 0, entry)
  }

  private pump(): void {
    while (!this.disposed && this.active.size < this.config.maxConcurrentChunks && this.queue.length > 0) {
      const entry = this.queue.shift()!
      void this.run(entry)
    }
  }

  private async run(entry: Entry): Promise<void> {
    entry.state = 'active'
    entry.attempt++
    this.active.add(entry)
    this.stats.peakConcurrency = Math.max(this.stats.peakConcurrency, this.active.size)
    this.stats.requestsSent++
    const controller = new AbortController()
    entry.controller = controller
    const timer = setTimeout(() => controller.abort(new ChunkError('timeout', `timed out after ${this.config.timeout} ms`)), this.config.timeout)
    const t0 = performance.now()
    this.log.debug(`GET ${entry.start}-${entry.end} (${entry.priority}, attempt ${entry.attempt})`)
    try {
      const res = await this.fetchFn(entry.url, {
        headers: { Range: `bytes=${entry.start}-${entry.end}` },
        signal: controller.signal,
        credentials: 'same-origin',
      })
      const body = new Uint8Array(await res.arrayBuffer())
      if (entry.state !== 'active') return
      const result = this.validate(entry, res, body)
      const latencyMs = Math.round(performance.now() - t0)
      this.finish(entry)
      this.stats.completedRequests++
      this.stats.completedByPriority[entry.priority]++
      this.stats.bytesLoaded += result.data.byteLength
      this.stats.latencyTotal += latencyMs
      this.stats.lastLatencyMs = latencyMs
      entry.resolve({ ...result, priority: entry.priority, attempts: entry.attempt, latencyMs })
    } catch (raw) {
      // Cancelled meanwhile (cancelEntry settled it): nothing more to do.
      if ((entry.state as Entry['state']) === 'settled') return
      const err = this.classify(raw, controller)
      this.active.delete(entry)
      entry.controller = null
      if (err.kind === 'timeout') this.stats.timeouts++
      if (err.retryable && entry.attempt <= this.config.retryAttempts) {
        const delay = this.config.retryDelay * 2 ** (entry.attempt - 1)
        this.stats.retries++
        this.log.debug(`retry ${entry.start}-${entry.end} in ${delay} ms: ${err.message}`)
        entry.state = 'waiting'
        this.waiting.add(entry)
        entry.retryTimer = setTimeout(() => {
          entry.retryTimer = null
          this.waiting.delete(entry)
          if (entry.state !== 'waiting') return
          this.enqueue(entry)
          this.pump()
        }, delay)
      } else {
        this.finish(entry)
        this.stats.failedRequests++
        this.stats.lastError = err.message
        this.log.warn(`failed ${entry.start}-${entry.end} after ${entry.attempt} attempt(s): ${err.message}`)
        entry.reject(err)
      }
    } finally {
      clearTimeout(timer)
      this.pump()
    }
  }

  private validate(entry: Entry, res: Response, body: Uint8Array): Omit<ChunkResponse, 'priority' | 'attempts' | 'latencyMs'> {
    const contentType = res.headers.get('content-type')
    if (res.status === 206) {
      const m = CONTENT_RANGE_RE.exec(res.headers.get('content-range') ?? '')
      if (!m) throw new ChunkError('protocol', '206 without a valid Content-Range')
      const start = Number(m[1])
      const end = Number(m[2])
      const totalSize = m[3] === '*' ? null : Number(m[3])
      if (start !== entry.start || end > entry.end || body.byteLength !== end - start + 1) {
        throw new ChunkError('protocol', `asked for ${entry.start}-${entry.end}, got ${start}-${end} (${body.byteLength} bytes)`)
      }
      return { url: entry.url, start, end, data: body, totalSize, contentType }
    }
    if (res.status === 200 && entry.start === 0) {
      // A server without ranges sent the whole resource: keep the part asked for.
      const data = body.subarray(0, entry.end + 1)
      return { url: entry.url, start: 0, end: data.byteLength - 1, data, totalSize: body.byteLength, contentType }
    }
    if (res.status === 416) throw new ChunkError('range', `range ${entry.start}-${entry.end} not satisfiable`, 416)
    if (res.status === 200) throw new ChunkError('protocol', 'the server ignored the Range header', 200)
    throw new ChunkError('http', `HTTP ${res.status}`, res.status)
  }

  private classify(raw: unknown, controller: AbortController): ChunkError {
    if (raw instanceof ChunkError) return raw
    if (controller.signal.aborted) {
      const reason = controller.signal.reason
      return reason instanceof ChunkError ? reason : new ChunkError('aborted', 'request cancelled')
    }
    return new ChunkError('network', raw instanceof Error ? raw.message : String(raw))
  }

  private finish(entry: Entry): void {
    entry.state = 'settled'
    entry.detach()
    this.active.delete(entry)
    this.waiting.delete(entry)
    entry.controller = null
  }

  private cancelEntry(entry: Entry, reason: string): void {
    if (entry.state === 'settled') return
    const wasActive = entry.state === 'active'
    const i = this.queue.indexOf(entry)
    if (i >= 0) this.queue.splice(i, 1)
    if (entry.retryTimer) clearTimeout(entry.retryTimer)
    const controller = entry.controller
    this.finish(entry)
    this.stats.cancelledRequests++
    controller?.abort(new ChunkError('aborted', reason))
    entry.reject(new ChunkError('aborted', reason))
    // Deferred: one signal may cancel several entries, and none of them should start meanwhile.
    if (wasActive) queueMicrotask(() => this.pump())
  }
}

function validConfig(c: ChunkManagerConfig): ChunkManagerConfig {
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0
  if (!positiveInt(c.chunkSize)) throw new RangeError('chunkSize must be a positive integer')
  if (!positiveInt(c.maxConcurrentChunks)) throw new RangeError('maxConcurrentChunks must be a positive integer')
  if (!(Number.isInteger(c.retryAttempts) && c.retryAttempts >= 0)) throw new RangeError('retryAttempts must be >= 0')
  if (!(c.retryDelay >= 0 && c.timeout > 0 && c.aheadTime > 0)) throw new RangeError('retryDelay, timeout and aheadTime must be positive')
  return c
}
