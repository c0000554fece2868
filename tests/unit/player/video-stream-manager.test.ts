import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChunkManager } from '@/lib/player/ChunkManager'
import type { Logger } from '@/lib/player/debug'
import { parseInit, parseMfra, parseMfro, scanFragments } from '@/lib/player/mp4'
import type { TimeRange } from '@/lib/player/stream-plan'
import { type MediaElement, VideoStreamManager } from '@/lib/player/VideoStreamManager'
import { type Fixtures, makeFixtures } from './fixtures'
import { type RangeServer, startRangeServer } from './range-server'

// VideoStreamManager without a browser: a real ChunkManager against a real range server, and a
// fake MediaSource/SourceBuffer that knows where each appended byte sits in the file, so
// `buffered` reports exactly the fragments appended whole.

const quiet: Logger = { debug() {}, warn() {}, error() {} }
const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

interface Fragment {
  offset: number
  end: number
  start: number
  stop: number
}

function fragmentsOf(file: Buffer, duration: number): Fragment[] {
  const b = u8(file)
  const r = parseInit(b)
  if (!r.ok) throw new Error('not mp4')
  const timescales = new Map(r.info.tracks.map((t) => [t.id, t.timescale]))
  const videoId = r.info.tracks.find((t) => t.kind === 'video')!.id
  const mfraSize = parseMfro(b.subarray(b.length - 16))
  const index = mfraSize
    ? parseMfra(b.subarray(b.length - mfraSize), timescales, videoId)
    : scanFragments(b.subarray(r.info.initEnd), r.info.initEnd, timescales, videoId).fragments
  const mediaEnd = b.length - (mfraSize ?? 0)
  return index.map((e, i) => ({ offset: e.offset, end: index[i + 1]?.offset ?? mediaEnd, start: e.time, stop: index[i + 1]?.time ?? duration }))
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

class FakeTimeRanges {
  constructor(private readonly r: TimeRange[]) {}
  get length() {
    return this.r.length
  }
  start(i: number) {
    return this.r[i].start
  }
  end(i: number) {
    return this.r[i].end
  }
}

class FakeSourceBuffer extends EventTarget {
  updating = false
  readonly log: string[] = []
  /** File offsets where each run of appends began (0, then each post-abort moof). */
  readonly starts: number[] = []
  readonly removed: TimeRange[] = []
  appendedBytes = 0
  private pos: number | null = 0
  private runStart = 0
  private readonly present = new Set<Fragment>()
  constructor(
    private readonly ms: FakeMediaSource,
    private readonly file: Uint8Array,
    private readonly fragments: Fragment[],
  ) {
    super()
    this.starts.push(0)
  }
  appendBuffer(data: Uint8Array) {
    if (this.updating) throw new Error('InvalidStateError: updating')
    if (this.ms.readyState === 'ended') this.ms.readyState = 'open'
    if (this.pos === null) {
      this.pos = indexOf(this.file, data.subarray(0, 64))
      if (this.pos < 0) throw new Error('appended bytes not found in the file')
      this.runStart = this.pos
      this.starts.push(this.pos)
    }
    this.pos += data.length
    this.appendedBytes += data.length
    for (const f of this.fragments) if (f.offset >= this.runStart && f.end <= this.pos) this.present.add(f)
    this.log.push(`append ${this.pos - data.length}-${this.pos}`)
    this.finish()
  }
  remove(start: number, end: number) {
    if (this.updating) throw new Error('InvalidStateError: updating')
    this.removed.push({ start, end })
    for (const f of this.fragments) if (f.start < end - 1e-6 && f.start >= start - 1e-6) this.present.delete(f)
    this.log.push(`remove ${start.toFixed(2)}-${end.toFixed(2)}`)
    this.finish()
  }
  abort() {
    this.pos = null
    this.log.push('abort')
  }
  get buffered() {
    const ranges: TimeRange[] = []
    for (const f of [...this.present].sort((a, b) => a.start - b.start)) {
      const last = ranges.at(-1)
      if (last && Math.abs(last.end - f.start) < 1e-3) last.end = f.stop
      else ranges.push({ start: f.start, end: f.stop })
    }
    return new FakeTimeRanges(ranges) as unknown as TimeRanges
  }
  private finish() {
    this.updating = true
    setTimeout(() => {
      this.updating = false
      this.dispatchEvent(new Event('updateend'))
    }, 1)
  }
}

let current: { file: Uint8Array; fragments: Fragment[]; supported: boolean } = { file: new Uint8Array(), fragments: [], supported: true }

class FakeMediaSource extends EventTarget {
  static isTypeSupported(type: string) {
    return current.supported && type.startsWith('video/mp4')
  }
  readyState: 'closed' | 'open' | 'ended' = 'closed'
  duration = Number.NaN
  mime: string | null = null
  sb: FakeSourceBuffer | null = null
  addSourceBuffer(mime: string) {
    this.mime = mime
    this.sb = new FakeSourceBuffer(this, current.file, current.fragments)
    return this.sb
  }
  endOfStream() {
    this.readyState = 'ended'
  }
}

class FakeVideo extends EventTarget {
  currentTime = 0
  paused = false
  src = ''
  set(t: number, event: 'seeking' | 'timeupdate') {
    this.currentTime = t
    this.dispatchEvent(new Event(event))
  }
}

async function waitFor(cond: () => boolean, timeout = 5000): Promise<void> {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > timeout) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('VideoStreamManager (fake MediaSource, real ranges)', () => {
  let fx: Fixtures
  let srv: RangeServer
  let revoked: string[] = []
  beforeAll(async () => {
    fx = makeFixtures(10)
    srv = await startRangeServer({ '/frag.mp4': fx.fragmented, '/nomfra.mp4': fx.noMfra, '/plain.mp4': fx.plain })
  })
  afterAll(async () => {
    await srv.close()
    fx.remove()
  })

  function setup(path: string, file: Buffer, opts: { supported?: boolean; maxBufferBehind?: number; keepBehind?: number; chunkSize?: number } = {}) {
    current = { file: u8(file), fragments: fragmentsOf(file, 10), supported: opts.supported ?? true }
    const chunkManager = new ChunkManager({ chunkSize: opts.chunkSize ?? 32 * 1024 }, { log: quiet })
    let ms: FakeMediaSource | null = null
    revoked = []
    const vsm = new VideoStreamManager({
      url: `${srv.url}${path}`,
      chunkManager,
      log: quiet,
      maxBufferBehind: opts.maxBufferBehind,
      keepBehind: opts.keepBehind,
      env: {
        MediaSource: FakeMediaSource as unknown as typeof MediaSource,
        createObjectURL: (m) => {
          ms = m as unknown as FakeMediaSource
          setTimeout(() => {
            ms!.readyState = 'open'
            ms!.dispatchEvent(new Event('sourceopen'))
          }, 1)
          return 'blob:fake-media-source'
        },
        revokeObjectURL: (u) => revoked.push(u),
      },
    })
    const video = new FakeVideo()
    const events = { chunks: [] as number[], complete: 0, errors: [] as Error[] }
    vsm.setCallbacks({
      onChunkLoaded: (i) => events.chunks.push(i),
      onStreamComplete: () => events.complete++,
      onStreamError: (e) => events.errors.push(e),
    })
    return { vsm, video, chunkManager, events, ms: () => ms!, fragments: current.fragments }
  }

  it('probes head, tail and mfra with range requests and names the codecs', async () => {
    const { vsm, chunkManager } = setup('/frag.mp4', fx.fragmented)
    const probe = await vsm.probe()
    expect(probe).toMatchObject({ ok: true, totalSize: fx.fragmented.length })
    expect(probe.ok && probe.mimeType).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}, mp4a\.40\.2"$/)
    expect(probe.ok && probe.durationSec).toBeCloseTo(10, 0)
    expect(vsm.getStats()).toMatchObject({ state: 'probed', indexEntries: 10, indexComplete: true })
    expect(chunkManager.getStats().completedByPriority.critical).toBe(3)
    vsm.destroy()
  })

  it('refuses what it cannot stream, with a reason (the player then streams directly)', async () => {
    await expect(setup('/plain.mp4', fx.plain).vsm.probe()).resolves.toEqual({ ok: false, reason: 'not a fragmented MP4' })
    await expect(setup('/frag.mp4', fx.fragmented, { supported: false }).vsm.probe()).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/cannot play/),
    })
    const none = new VideoStreamManager({ url: `${srv.url}/frag.mp4`, log: quiet, env: { MediaSource: undefined as unknown as typeof MediaSource } })
    await expect(none.probe()).resolves.toEqual({ ok: false, reason: 'MediaSource is not available' })
    await expect(setup('/missing.mp4', fx.fragmented).vsm.probe()).resolves.toMatchObject({ ok: false })
  })

  it('streams from byte 0 in order, keeps about aheadTime buffered, and completes at the end', async () => {
    const { vsm, video, events, ms, chunkManager } = setup('/frag.mp4', fx.fragmented)
    await vsm.probe()
    await vsm.attach(video as unknown as MediaElement, (u) => {
      video.src = u
    })
    expect(video.src).toBe('blob:fake-media-source')
    expect(ms().mime).toMatch(/^video\/mp4/)
    expect(ms().duration).toBeCloseTo(10, 0)
    await waitFor(() => vsm.getStats().bufferedAhead >= 5)
    await new Promise((r) => setTimeout(r, 200))
    const early = vsm.getStats()
    // Playback has not moved: it fetched what aheadTime asks for (plus the chunk in progress), not the file.
    expect(early.bufferedAhead).toBeLessThan(9)
    expect(early.nextOffset).toBeLessThan(fx.fragmented.length * 0.9)
    expect(chunkManager.getStats().peakConcurrency).toBeLessThanOrEqual(3)
    const sb = ms().sb!
    expect(sb.starts).toEqual([0])
    for (let t = 1; t <= 9.9; t += 0.5) {
      video.set(t, 'timeupdate')
      await new Promise((r) => setTimeout(r, 20))
    }
    await waitFor(() => events.complete === 1)
    const stats = vsm.getStats()
    expect(stats.state).toBe('complete')
    expect(ms().readyState).toBe('ended')
    // Every media byte appended exactly once, and nothing past the mfra box.
    const mfraSize = parseMfro(u8(fx.fragmented).subarray(fx.fragmented.length - 16))!
    expect(sb.appendedBytes).toBe(fx.fragmented.length - mfraSize)
    expect(events.chunks.length).toBeGreaterThan(5)
    expect(events.errors).toEqual([])
    vsm.destroy()
    expect(revoked).toEqual(['blob:fake-media-source'])
  })

  it('on a seek outside the buffer, cancels, aborts the parser and resumes at the target fragment first', async () => {
    const { vsm, video, ms, fragments, chunkManager } = setup('/frag.mp4', fx.fragmented)
    await vsm.probe()
    await vsm.attach(video as unknown as MediaElement)
    await waitFor(() => vsm.getStats().bufferedAhead >= 2)
    const criticalBefore = chunkManager.getStats().completedByPriority.critical
    video.set(7.5, 'seeking')
    const sb = ms().sb!
    await waitFor(
      () => sb.buffered.length > 0 && Array.from({ length: sb.buffered.length }, (_, i) => sb.buffered.start(i) <= 7.5 && sb.buffered.end(i) > 8).some(Boolean),
    )
    expect(sb.log).toContain('abort')
    expect(sb.starts[1]).toBe(fragments[7].offset)
    expect(chunkManager.getStats().completedByPriority.critical).toBeGreaterThan(criticalBefore)
    expect(vsm.getStats().seeks).toBe(1)
    // Seeking inside what is buffered costs nothing.
    video.set(7.8, 'seeking')
    expect(vsm.getStats().seeks).toBe(1)
    vsm.destroy()
  })

  it('evicts what lies far behind the playhead', async () => {
    const { vsm, video, ms } = setup('/frag.mp4', fx.fragmented, { maxBufferBehind: 3, keepBehind: 1 })
    await vsm.probe()
    await vsm.attach(video as unknown as MediaElement)
    for (let t = 0; t <= 8; t += 0.5) {
      video.set(t, 'timeupdate')
      await new Promise((r) => setTimeout(r, 25))
    }
    await waitFor(() => ms().sb!.removed.length > 0)
    const sb = ms().sb!
    expect(sb.removed[0].start).toBe(0)
    expect(sb.removed.at(-1)!.end).toBeLessThanOrEqual(7.5)
    expect(sb.buffered.start(0)).toBeGreaterThan(2)
    expect(vsm.getStats().evictions).toBeGreaterThan(0)
    vsm.destroy()
  })

  it('without mfra, learns the index while streaming and seeks by estimate to a real moof', async () => {
    const { vsm, video, ms, fragments } = setup('/nomfra.mp4', fx.noMfra)
    const probe = await vsm.probe()
    expect(probe.ok).toBe(true)
    expect(vsm.getStats().indexComplete).toBe(false)
    await vsm.attach(video as unknown as MediaElement)
    await waitFor(() => vsm.getStats().bufferedAhead >= 3)
    expect(vsm.getStats().indexEntries).toBeGreaterThanOrEqual(3)
    video.set(8.2, 'seeking')
    const sb = ms().sb!
    await waitFor(() => sb.starts.length > 1 && sb.buffered.length > 0)
    expect(fragments.map((f) => f.offset)).toContain(sb.starts[1])
    vsm.destroy()
  })

  it('reports chunk delivery failure through onStreamError', async () => {
    const { vsm, video, events } = setup('/frag.mp4', fx.fragmented)
    await vsm.probe()
    const bytes = srv.files.get('/frag.mp4')!
    await vsm.attach(video as unknown as MediaElement)
    srv.files.delete('/frag.mp4')
    try {
      video.set(6, 'seeking')
      await waitFor(() => events.errors.length > 0)
      expect(events.errors[0].message).toMatch(/404/)
      expect(vsm.getStats().state).toBe('error')
    } finally {
      srv.files.set('/frag.mp4', bytes)
      vsm.destroy()
    }
  })

  it('destroy cancels what is in flight and stops appending', async () => {
    const { vsm, video, chunkManager, ms } = setup('/frag.mp4', fx.fragmented, { chunkSize: 8 * 1024 })
    await vsm.probe()
    await vsm.attach(video as unknown as MediaElement)
    await waitFor(() => chunkManager.getStats().activeRequests > 0 || chunkManager.getStats().completedRequests > 4)
    vsm.destroy()
    const appended = ms().sb!.appendedBytes
    await new Promise((r) => setTimeout(r, 150))
    expect(ms().sb!.appendedBytes).toBe(appended)
    expect(chunkManager.getStats().activeRequests).toBe(0)
    expect(chunkManager.getStats().queuedRequests).toBe(0)
    expect(vsm.getStats().state).toBe('destroyed')
  })
})
