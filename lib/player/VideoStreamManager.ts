import { ChunkError, ChunkManager } from './ChunkManager'
import { type Logger, playerLog } from './debug'
import { FragmentScanner } from './fragment-scanner'
import { type FragmentEntry, findMoof, type InitInfo, parseInit, parseMfra, parseMfro } from './mp4'
import { type ByteMap, bufferedAhead, byteForTime, chunksToRequest, estimateTime, evictionRanges, offsetForTime, rangeAt, toRanges } from './stream-plan'

// The streaming management layer for large fragmented-MP4 originals: feeds a
// MediaSource from ChunkManager range requests, in file order, starting at the fragment under
// the playhead; keeps `aheadTime` seconds requested ahead, evicts what lies far behind, and on a
// seek outside the buffer cancels what is in flight and restarts at the target's fragment.
// Anything it cannot do (no MediaSource, unknown codecs, not fragmented, chunk delivery failing)
// is reported so the player falls back to direct URL streaming.

export interface VideoStreamCallbacks {
  onChunkLoaded?: (chunkIndex: number, data: Uint8Array) => void
  onStreamComplete?: () => void
  onStreamError?: (error: Error) => void
}

export interface VideoStreamManagerOptions {
  url: string
  chunkManager?: ChunkManager
  /** Duration from the content probe, when known (fragmented files often carry none). */
  durationSec?: number | null
  /** Seconds kept behind the playhead after an eviction. */
  keepBehind?: number
  /** Evict once more than this many seconds lie behind the playhead. */
  maxBufferBehind?: number
  /** Never buffer more than this far ahead (a hard cap over aheadTime). */
  maxBufferAhead?: number
  /** Never request more chunks than this ahead of the append position. */
  maxChunksAhead?: number
  log?: Logger
  /** Browser globals, replaceable in tests. */
  env?: {
    MediaSource?: typeof MediaSource
    createObjectURL?: (ms: MediaSource) => string
    revokeObjectURL?: (url: string) => void
  }
}

export type ProbeResult = { ok: true; mimeType: string; totalSize: number; durationSec: number | null } | { ok: false; reason: string }

export type StreamState = 'idle' | 'probed' | 'open' | 'complete' | 'error' | 'destroyed'

export interface VideoStreamStats {
  state: StreamState
  url: string
  mimeType: string | null
  totalSize: number
  nextOffset: number
  chunksLoaded: number
  chunksAppended: number
  bytesAppended: number
  bufferedAhead: number
  buffered: { start: number; end: number }[]
  seeks: number
  evictions: number
  quotaErrors: number
  indexEntries: number
  indexComplete: boolean
  lastError: string | null
  chunkManager: ReturnType<ChunkManager['getStats']>
}

/** Video element surface we use (an HTMLVideoElement, or a fake in tests). */
export type MediaElement = Pick<HTMLMediaElement, 'currentTime' | 'addEventListener' | 'removeEventListener' | 'paused'>

const MAX_INIT_BYTES = 8 * 1024 * 1024
const MAX_MFRA_BYTES = 4 * 1024 * 1024

export class VideoStreamManager {
  readonly url: string
  readonly chunkManager: ChunkManager
  private callbacks: VideoStreamCallbacks = {}
  private readonly opts: Required<Pick<VideoStreamManagerOptions, 'keepBehind' | 'maxBufferBehind' | 'maxBufferAhead' | 'maxChunksAhead'>>
  private readonly log: Logger
  private readonly env: Required<NonNullable<VideoStreamManagerOptions['env']>>
  private readonly ownsChunkManager: boolean

  private state: StreamState = 'idle'
  private info: InitInfo | null = null
  private map: ByteMap = { index: [], indexComplete: false, mediaStart: 0, totalSize: 0, durationSec: null }
  /** Where appending stops (the mfra box, when there is one, is not media). */
  private streamEnd = 0
  private scanner: FragmentScanner | null = null
  private ms: MediaSource | null = null
  private sb: SourceBuffer | null = null
  private video: MediaElement | null = null
  private objectUrl: string | null = null
  private timer: ReturnType<typeof setInterval> | null = null

  /** Next file byte the SourceBuffer needs. */
  private nextOffset = 0
  /** Fetched chunks not yet (fully) appended, by index. */
  private readonly chunks = new Map<number, Uint8Array>()
  private readonly inflight = new Map<number, AbortController>()
  /** Bumped on every reposition; late results of an older generation are dropped. */
  private generation = 0
  private urgent = true
  private completedOnce = false
  private repositioning = false
  private draining = false
  private ops: Promise<unknown> = Promise.resolve()
  private readonly stats = { chunksLoaded: 0, chunksAppended: 0, bytesAppended: 0, seeks: 0, evictions: 0, quotaErrors: 0, lastError: null as string | null }

  constructor(options: VideoStreamManagerOptions) {
    this.url = options.url
    this.ownsChunkManager = !options.chunkManager
    this.chunkManager = options.chunkManager ?? new ChunkManager()
    this.map.durationSec = options.durationSec && options.durationSec > 0 ? options.durationSec : null
    this.opts = {
      keepBehind: options.keepBehind ?? 10,
      maxBufferBehind: options.maxBufferBehind ?? 30,
      maxBufferAhead: options.maxBufferAhead ?? 30,
      maxChunksAhead: options.maxChunksAhead ?? 8,
    }
    this.log = options.log ?? playerLog('VideoStreamManager')
    const g = globalThis as unknown as { MediaSource?: typeof MediaSource; URL: typeof URL }
    this.env = {
      MediaSource: options.env?.MediaSource ?? (g.MediaSource as typeof MediaSource),
      createObjectURL: options.env?.createObjectURL ?? ((ms) => g.URL.createObjectURL(ms)),
      revokeObjectURL: options.env?.revokeObjectURL ?? ((u) => g.URL.revokeObjectURL(u)),
    }
  }

  /** Whether this browser has MediaSource at all (and, given a MIME type with codecs, supports it). */
  static isSupported(mimeType?: string, MS: typeof MediaSource | undefined = (globalThis as { MediaSource?: typeof MediaSource }).MediaSource): boolean {
    if (typeof MS !== 'function' || typeof MS.isTypeSupported !== 'function') return false
    return mimeType ? MS.isTypeSupported(mimeType) : true
  }

  setCallbacks(callbacks: VideoStreamCallbacks): void {
    this.callbacks = callbacks
  }

  /**
   * Reads the head of the file (ftyp + moov) and its random-access index (mfra, from the tail)
   * with range requests, and says whether MSE can play it here.
   */
  async probe(): Promise<ProbeResult> {
    if (!VideoStreamManager.isSupported(undefined, this.env.MediaSource)) return this.refuse('MediaSource is not available')
    const cm = this.chunkManager
    const size = cm.getConfig().chunkSize
    let head: Uint8Array
    let totalSize: number
    try {
      const first = await cm.requestChunk(this.url, 0, size - 1, 'critical')
      if (!first.totalSize) return this.refuse('the server did not report the file size')
      totalSize = first.totalSize
      head = first.data
    } catch (err) {
      return this.refuse(`head request failed: ${(err as Error).message}`)
    }
    let parsed = parseInit(head)
    while (!parsed.ok && 'needBytes' in parsed && parsed.needBytes <= MAX_INIT_BYTES && head.length < totalSize) {
      const more = await cm
        .requestChunk(this.url, head.length, Math.min(totalSize, Math.max(parsed.needBytes, head.length + size)) - 1, 'critical')
        .catch(() => null)
      if (!more) return this.refuse('could not read the movie header')
      head = concat(head, more.data)
      parsed = parseInit(head)
    }
    if (!parsed.ok) return this.refuse('reason' in parsed ? parsed.reason : 'movie header too large')
    const info = parsed.info
    if (!info.fragmented) return this.refuse('not a fragmented MP4')
    if (!info.mimeType) return this.refuse('unknown codecs')
    if (!VideoStreamManager.isSupported(info.mimeType, this.env.MediaSource)) return this.refuse(`MediaSource cannot play ${info.mimeType}`)
    this.info = info
    this.map = { ...this.map, mediaStart: info.initEnd, totalSize }
    this.streamEnd = totalSize
    // Keep what the head requests fetched: appending starts at byte 0 (the init segment).
    for (let i = 0; i * size < head.length; i++) this.chunks.set(i, head.slice(i * size, Math.min(head.length, (i + 1) * size)))
    await this.loadIndex(info, totalSize)
    this.map.durationSec ??= info.durationSec ?? estimateDuration(this.map.index)
    this.state = 'probed'
    this.log.debug(`probed ${this.url}: ${info.mimeType}, ${totalSize} bytes, ${this.map.index.length} fragments indexed`)
    return { ok: true, mimeType: info.mimeType, totalSize, durationSec: this.map.durationSec }
  }

  /**
   * Plays into `video`: creates the MediaSource, hands its object URL to `setSource` (by default
   * `video.src = url`), then streams. Call after a successful probe().
   */
  attach(video: MediaElement, setSource: (url: string) => void = (u) => ((video as HTMLMediaElement).src = u)): Promise<void> {
    if (this.state !== 'probed' || !this.info) return Promise.reject(new Error('probe() first'))
    const ms = new this.env.MediaSource()
    this.ms = ms
    this.video = video
    const mimeType = this.info.mimeType!
    return new Promise<void>((resolve, reject) => {
      const onOpen = () => {
        ms.removeEventListener('sourceopen', onOpen)
        if (this.state === 'destroyed') return resolve()
        try {
          this.sb = ms.addSourceBuffer(mimeType)
          if (this.map.durationSec) ms.duration = this.map.durationSec
        } catch (err) {
          this.fail(err as Error)
          return reject(err)
        }
        this.state = 'open'
        video.addEventListener('seeking', this.onSeeking)
        video.addEventListener('timeupdate', this.onTick)
        this.timer = setInterval(this.onTick, 500)
        this.pump()
        resolve()
      }
      ms.addEventListener('sourceopen', onOpen)
      this.objectUrl = this.env.createObjectURL(ms)
      setSource(this.objectUrl)
    })
  }

  getStats(): VideoStreamStats {
    const ranges = this.bufferedRanges()
    const t = this.video?.currentTime ?? 0
    return {
      state: this.state,
      url: this.url,
      mimeType: this.info?.mimeType ?? null,
      totalSize: this.map.totalSize,
      nextOffset: this.nextOffset,
      ...this.stats,
      bufferedAhead: Math.round(bufferedAhead(ranges, t) * 100) / 100,
      buffered: ranges,
      indexEntries: this.map.index.length,
      indexComplete: this.map.indexComplete,
      chunkManager: this.chunkManager.getStats(),
    }
  }

  /** Stops streaming, cancels requests and releases the MediaSource. */
  destroy(): void {
    if (this.state === 'destroyed') return
    this.state = 'destroyed'
    this.generation++
    this.cancelInflight()
    this.chunks.clear()
    if (this.timer) clearInterval(this.timer)
    this.video?.removeEventListener('seeking', this.onSeeking)
    this.video?.removeEventListener('timeupdate', this.onTick)
    if (this.ownsChunkManager) this.chunkManager.dispose()
    if (this.objectUrl) this.env.revokeObjectURL(this.objectUrl)
    this.objectUrl = null
    this.sb = null
    this.ms = null
    this.video = null
  }

  private refuse(reason: string): ProbeResult {
    this.log.debug(`not streaming ${this.url} in chunks: ${reason}`)
    return { ok: false, reason }
  }

  private async loadIndex(info: InitInfo, totalSize: number): Promise<void> {
    const timescales = new Map(info.tracks.map((t) => [t.id, t.timescale]))
    const video = info.tracks.find((t) => t.kind === 'video') ?? info.tracks[0]
    const cm = this.chunkManager
    try {
      const tail = await cm.requestChunk(this.url, Math.max(0, totalSize - 16), totalSize - 1, 'critical')
      const mfraSize = parseMfro(tail.data)
      if (mfraSize && mfraSize <= MAX_MFRA_BYTES && mfraSize < totalSize - info.initEnd) {
        const mfra = await cm.requestChunk(this.url, totalSize - mfraSize, totalSize - 1, 'critical')
        const index = parseMfra(mfra.data, timescales, video?.id)
        if (index.length > 0) {
          this.map = { ...this.map, index, indexComplete: true }
          this.streamEnd = totalSize - mfraSize
          return
        }
      }
    } catch (err) {
      this.log.debug(`no random-access index: ${(err as Error).message}`)
    }
    // No mfra: learn fragment times from the bytes as they are appended.
    this.scanner = new FragmentScanner(info.initEnd, timescales, video?.id, (f) => this.learn(f))
  }

  private learn(f: FragmentEntry): void {
    const index = this.map.index
    const last = index.at(-1)
    if (!last || f.offset > last.offset) index.push(f)
    else if (!index.some((e) => e.offset === f.offset)) {
      index.push(f)
      index.sort((a, b) => a.offset - b.offset)
    }
  }

  private bufferedRanges() {
    try {
      return this.sb ? toRanges(this.sb.buffered) : []
    } catch {
      return []
    }
  }

  private readonly onTick = () => this.pump()

  private readonly onSeeking = () => {
    if (this.state !== 'open' && this.state !== 'complete') return
    const t = this.video!.currentTime
    const ranges = this.bufferedRanges()
    const here = rangeAt(ranges, t, 0.1)
    const appendTime = estimateTime(this.map, this.nextOffset)
    if (here && Math.abs(here.end - appendTime) < 2) return
    this.stats.seeks++
    // Buffered but the append position is elsewhere: continue from the end of this range.
    void this.reposition(here ? here.end : t)
  }

  /** Decides what to fetch, evict and append next; cheap, called on every tick. */
  private pump(): void {
    if ((this.state !== 'open' && this.state !== 'complete') || this.repositioning || !this.video || !this.sb) return
    const t = this.video.currentTime
    const ranges = this.bufferedRanges()
    this.evict(ranges, t)
    if (this.nextOffset >= this.streamEnd) {
      this.maybeComplete()
      return
    }
    const cm = this.chunkManager.getConfig()
    if (bufferedAhead(ranges, t) >= Math.min(cm.aheadTime, this.opts.maxBufferAhead)) {
      this.drain()
      return
    }
    const target = byteForTime(this.map, t + cm.aheadTime)
    const have = new Set([...this.chunks.keys(), ...this.inflight.keys()])
    const wanted = chunksToRequest({
      nextOffset: this.nextOffset,
      targetByte: target,
      chunkSize: cm.chunkSize,
      totalSize: this.streamEnd,
      have,
      maxChunksAhead: this.opts.maxChunksAhead,
    })
    const first = Math.floor(this.nextOffset / cm.chunkSize)
    for (const i of wanted) this.fetchChunk(i, i === first ? (this.urgent ? 'critical' : 'high') : 'normal')
    if (wanted.includes(first)) this.urgent = false
    this.drain()
  }

  private fetchChunk(index: number, priority: 'critical' | 'high' | 'normal'): void {
    const gen = this.generation
    const ac = new AbortController()
    this.inflight.set(index, ac)
    const [start, end] = this.chunkManager.chunkRange(index, this.streamEnd)
    this.chunkManager.requestChunk(this.url, start, end, priority, { signal: ac.signal }).then(
      (res) => {
        if (this.inflight.get(index) === ac) this.inflight.delete(index)
        if (gen !== this.generation || this.state === 'destroyed') return
        this.chunks.set(index, res.data)
        this.stats.chunksLoaded++
        this.callbacks.onChunkLoaded?.(index, res.data)
        this.drain()
      },
      (err: unknown) => {
        if (this.inflight.get(index) === ac) this.inflight.delete(index)
        if (gen !== this.generation || this.state === 'destroyed' || (err instanceof ChunkError && err.kind === 'aborted')) return
        this.fail(err as Error)
      },
    )
  }

  /** Appends the chunks that continue the stream at nextOffset, in order, one at a time. */
  private async drain(): Promise<void> {
    if (this.draining || this.repositioning) return
    this.draining = true
    let appended = 0
    try {
      const size = this.chunkManager.getConfig().chunkSize
      while (this.state === 'open' || this.state === 'complete') {
        if (this.repositioning || this.nextOffset >= this.streamEnd) break
        const index = Math.floor(this.nextOffset / size)
        const data = this.chunks.get(index)
        if (!data) break
        const from = this.nextOffset - index * size
        const slice = data.subarray(from, Math.min(data.length, this.streamEnd - index * size))
        const gen = this.generation
        await this.append(slice)
        if (gen !== this.generation) break
        this.scanner?.push(slice, this.nextOffset)
        this.chunks.delete(index)
        this.nextOffset = index * size + from + slice.length
        this.stats.chunksAppended++
        this.stats.bytesAppended += slice.length
        appended++
      }
    } catch (err) {
      this.fail(err as Error)
    } finally {
      this.draining = false
    }
    if (this.nextOffset >= this.streamEnd) this.maybeComplete()
    else if (appended > 0 && this.state === 'open') queueMicrotask(() => this.pump())
  }

  /** appendBuffer, waiting for updateend; on QuotaExceeded evicts and tries again. */
  private async append(bytes: Uint8Array): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.op((sb) => sb.appendBuffer(bytes as Uint8Array<ArrayBuffer>))
        return
      } catch (err) {
        if ((err as DOMException)?.name !== 'QuotaExceededError' || attempt >= 3) throw err
        this.stats.quotaErrors++
        const t = this.video?.currentTime ?? 0
        const ranges = this.bufferedRanges()
        const keep = Math.max(2, this.opts.keepBehind / 2 ** (attempt + 1))
        for (const r of evictionRanges(ranges, t, keep, keep, this.chunkManager.getConfig().aheadTime * 2)) await this.remove(r.start, r.end)
      }
    }
  }

  private async remove(start: number, end: number): Promise<void> {
    if (end - start < 0.5) return
    this.stats.evictions++
    this.log.debug(`evict ${start.toFixed(1)}-${end.toFixed(1)} s`)
    await this.op((sb) => sb.remove(start, end))
  }

  private evicting = false
  private evict(ranges: ReturnType<VideoStreamManager['bufferedRanges']>, t: number): void {
    if (this.evicting) return
    const drop = evictionRanges(ranges, t, this.opts.keepBehind, this.opts.maxBufferBehind, this.opts.maxBufferAhead + 10)
    if (drop.length === 0) return
    this.evicting = true
    void (async () => {
      for (const r of drop) await this.remove(r.start, r.end)
    })()
      .catch((err) => this.log.debug(`eviction failed: ${(err as Error).message}`))
      .finally(() => {
        this.evicting = false
      })
  }

  /** Runs one SourceBuffer operation after the previous ones, resolving on its updateend. */
  private op(fn: (sb: SourceBuffer) => void): Promise<void> {
    const run = () =>
      new Promise<void>((resolve, reject) => {
        const sb = this.sb
        if (!sb || this.state === 'destroyed') return resolve()
        const done = () => {
          sb.removeEventListener('updateend', done)
          sb.removeEventListener('error', failed)
          resolve()
        }
        const failed = () => {
          sb.removeEventListener('updateend', done)
          sb.removeEventListener('error', failed)
          reject(new Error('SourceBuffer error'))
        }
        sb.addEventListener('updateend', done)
        sb.addEventListener('error', failed)
        try {
          if (this.ms?.readyState === 'ended') this.state = 'open'
          fn(sb)
        } catch (err) {
          sb.removeEventListener('updateend', done)
          sb.removeEventListener('error', failed)
          reject(err)
        }
      })
    const p = this.ops.then(run, run)
    this.ops = p.catch(() => undefined)
    return p
  }

  /** Restarts the stream at the fragment holding `time`. */
  private async reposition(time: number): Promise<void> {
    const gen = ++this.generation
    this.repositioning = true
    this.cancelInflight()
    this.chunks.clear()
    try {
      await this.ops
      if (gen !== this.generation || !this.sb) return
      try {
        // Resets the parser so the next append may start at a fresh moof.
        if (this.ms?.readyState === 'open') this.sb.abort()
      } catch {
        /* not open: the next append reopens it */
      }
      const target = offsetForTime(this.map, time)
      let offset = target.offset
      if (!target.exact) offset = await this.locateMoof(offset, gen)
      if (gen !== this.generation) return
      this.log.debug(`seek to ${time.toFixed(2)} s: resume at byte ${offset}`)
      this.nextOffset = offset
      this.scanner?.reset(offset)
      this.urgent = true
      if (this.state === 'complete') this.state = 'open'
    } catch (err) {
      if (gen === this.generation) this.fail(err as Error)
      return
    } finally {
      if (gen === this.generation) this.repositioning = false
    }
    this.pump()
  }

  /** The first moof at or after a guessed offset, reading chunks there (kept for the append). */
  private async locateMoof(guess: number, gen: number): Promise<number> {
    const size = this.chunkManager.getConfig().chunkSize
    for (let index = Math.floor(guess / size), tries = 0; tries < 4 && index * size < this.streamEnd; index++, tries++) {
      const [start, end] = this.chunkManager.chunkRange(index, this.streamEnd)
      const res = await this.chunkManager.requestChunk(this.url, start, end, 'critical')
      if (gen !== this.generation) return guess
      const at = findMoof(res.data, tries === 0 ? guess - start : 0)
      if (at >= 0) {
        this.chunks.set(index, res.data)
        return start + at
      }
    }
    throw new Error(`no fragment found near byte ${guess}`)
  }

  private maybeComplete(): void {
    if (this.state !== 'open' || !this.ms || !this.sb || this.draining) return
    void this.ops.then(() => {
      if (this.state !== 'open' || !this.ms || this.nextOffset < this.streamEnd || this.sb?.updating) return
      try {
        if (this.ms.readyState === 'open') this.ms.endOfStream()
        this.state = 'complete'
        if (this.completedOnce) return
        this.completedOnce = true
        this.log.debug('stream complete')
        this.callbacks.onStreamComplete?.()
      } catch (err) {
        this.log.debug(`endOfStream failed: ${(err as Error).message}`)
      }
    })
  }

  private cancelInflight(): void {
    for (const ac of this.inflight.values()) ac.abort()
    this.inflight.clear()
  }

  private fail(err: Error): void {
    if (this.state === 'error' || this.state === 'destroyed') return
    this.state = 'error'
    this.stats.lastError = err.message
    this.log.warn(`stream failed: ${err.message}`)
    this.generation++
    this.cancelInflight()
    this.callbacks.onStreamError?.(err)
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** The start of the last fragment plus an average fragment's length. */
function estimateDuration(index: FragmentEntry[]): number | null {
  if (index.length < 2) return null
  const last = index[index.length - 1].time
  return last + last / (index.length - 1)
}
