import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FragmentScanner } from '@/lib/player/fragment-scanner'
import { type FragmentEntry, findMoof, fragmentAt, parseInit, parseMfra, parseMfro, readBoxHeader, scanFragments } from '@/lib/player/mp4'
import { type Fixtures, makeFixtures } from './fixtures'

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

describe('MP4 parsing for chunked streaming', () => {
  let fx: Fixtures
  beforeAll(() => {
    fx = makeFixtures(10)
  })
  afterAll(() => fx.remove())

  const init = (b: Buffer) => {
    const r = parseInit(u8(b))
    if (!r.ok) throw new Error(JSON.stringify(r))
    return r.info
  }

  it('reads the init segment of a fragmented file: codecs, timescales, mvex', () => {
    const info = init(fx.fragmented)
    expect(info.fragmented).toBe(true)
    const video = info.tracks.find((t) => t.kind === 'video')!
    const audio = info.tracks.find((t) => t.kind === 'audio')!
    expect(video.codec).toMatch(/^avc1\.[0-9a-f]{6}$/)
    expect(audio.codec).toBe('mp4a.40.2')
    expect(audio.timescale).toBe(48000)
    expect(info.mimeType).toBe(`video/mp4; codecs="${video.codec}, mp4a.40.2"`)
    expect(readBoxHeader(u8(fx.fragmented), info.initEnd)?.type).toBe('moof')
  })

  it('asks for more bytes when moov is cut, and refuses files it cannot stream', () => {
    const cut = parseInit(u8(fx.fragmented).subarray(0, 100))
    expect(cut.ok).toBe(false)
    expect('needBytes' in cut && cut.needBytes).toBeGreaterThan(100)
    expect(init(fx.plain).fragmented).toBe(false)
    const end = parseInit(u8(fx.moovAtEnd))
    expect(!end.ok && 'reason' in end && end.reason).toMatch(/mdat before moov/)
    const junk = parseInit(new TextEncoder().encode('this is not a video at all, just words'))
    expect(junk.ok).toBe(false)
  })

  it('reads the random-access index from mfra (time -> moof offset), matching a full scan', () => {
    const info = init(fx.fragmented)
    const b = u8(fx.fragmented)
    const mfraSize = parseMfro(b.subarray(b.length - 16))!
    expect(mfraSize).toBeGreaterThan(16)
    const timescales = new Map(info.tracks.map((t) => [t.id, t.timescale]))
    const videoId = info.tracks.find((t) => t.kind === 'video')!.id
    const index = parseMfra(b.subarray(b.length - mfraSize), timescales, videoId)
    // One fragment per second (keyframe every 30 frames); the video timeline may carry FFmpeg's small AAC-priming shift.
    expect(index).toHaveLength(10)
    for (const [i, e] of index.entries()) expect(Math.abs(e.time - i)).toBeLessThan(0.05)
    const scanned = scanFragments(b.subarray(info.initEnd), info.initEnd, timescales, videoId)
    expect(scanned.fragments).toEqual(index)
    expect(scanned.parsedTo).toBe(b.length)
    expect(parseMfro(u8(fx.noMfra).subarray(fx.noMfra.length - 16))).toBeNull()
    expect(fragmentAt(index, 4.5)?.time).toBeCloseTo(4, 1)
    expect(fragmentAt(index, 0)?.offset).toBe(info.initEnd)
  })

  it('finds a moof in bytes fetched at a guessed offset', () => {
    const info = init(fx.fragmented)
    const b = u8(fx.fragmented)
    const timescales = new Map(info.tracks.map((t) => [t.id, t.timescale]))
    const offsets = scanFragments(b.subarray(info.initEnd), info.initEnd, timescales).fragments.map((f) => f.offset)
    const guess = Math.floor(b.length / 2)
    const at = findMoof(b.subarray(guess, guess + 256 * 1024))
    expect(at).toBeGreaterThanOrEqual(0)
    expect(offsets).toContain(guess + at)
    expect(findMoof(new Uint8Array(1000))).toBe(-1)
  })

  it('learns the index from appended bytes in any split when there is no mfra', () => {
    const info = init(fx.noMfra)
    const b = u8(fx.noMfra)
    const timescales = new Map(info.tracks.map((t) => [t.id, t.timescale]))
    const expected = scanFragments(b.subarray(info.initEnd), info.initEnd, timescales).fragments
    expect(expected).toHaveLength(10)
    for (const size of [7, 1000, 65_536, 300_000]) {
      const got: FragmentEntry[] = []
      const scanner = new FragmentScanner(info.initEnd, timescales, undefined, (f) => got.push(f))
      for (let o = info.initEnd; o < b.length; o += size) scanner.push(b.subarray(o, Math.min(b.length, o + size)), o)
      expect(got).toEqual(expected)
    }
  })
})
