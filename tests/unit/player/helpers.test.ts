import { describe, expect, it } from 'vitest'
import { keyAction } from '@/lib/player/keyboard'
import { applyQuality, currentHeight, qualityOptions } from '@/lib/player/quality'
import { parseStoryboard, parseVttTime, storyboardAt } from '@/lib/player/storyboard'
import { bufferedAhead, byteForTime, chunksToRequest, estimateTime, evictionRanges, offsetForTime, rangeAt } from '@/lib/player/stream-plan'
import { loadVolume, saveVolume, VOLUME_KEY } from '@/lib/player/volume'

describe('stream planning', () => {
  const index = [0, 1, 2, 3].map((i) => ({ time: i * 2, offset: 1000 + i * 10_000 }))
  const map = { index, indexComplete: true, mediaStart: 1000, totalSize: 41_000, durationSec: 8 }

  it('measures what is buffered ahead of the playhead', () => {
    const ranges = [
      { start: 0, end: 4 },
      { start: 6, end: 9 },
    ]
    expect(bufferedAhead(ranges, 1)).toBe(3)
    expect(bufferedAhead(ranges, 5)).toBe(0)
    expect(rangeAt(ranges, 5.9)).toEqual({ start: 6, end: 9 })
  })

  it('maps time to bytes through the fragment index, and estimates beyond it', () => {
    expect(offsetForTime(map, 3.5)).toEqual({ offset: 11_000, exact: true })
    expect(offsetForTime(map, 0)).toEqual({ offset: 1000, exact: true })
    const partial = { ...map, index: index.slice(0, 2), indexComplete: false }
    expect(offsetForTime(partial, 1)).toEqual({ offset: 1000, exact: true })
    expect(offsetForTime(partial, 6)).toEqual({ offset: 31_000, exact: false })
    expect(byteForTime(map, 3)).toBe(16_000)
    expect(estimateTime(map, 16_000)).toBeCloseTo(3)
    expect(byteForTime(map, 100)).toBe(41_000)
  })

  it('requests the chunk at the append position, then up to the target, skipping what it has', () => {
    const base = { chunkSize: 100, totalSize: 1000, maxChunksAhead: 8, have: new Set<number>() }
    expect(chunksToRequest({ ...base, nextOffset: 250, targetByte: 520 })).toEqual([2, 3, 4, 5])
    expect(chunksToRequest({ ...base, nextOffset: 250, targetByte: 0 })).toEqual([2])
    expect(chunksToRequest({ ...base, nextOffset: 250, targetByte: 520, have: new Set([2, 4]) })).toEqual([3, 5])
    expect(chunksToRequest({ ...base, nextOffset: 0, targetByte: 999, maxChunksAhead: 3 })).toEqual([0, 1, 2])
    expect(chunksToRequest({ ...base, nextOffset: 1000, targetByte: 2000 })).toEqual([])
  })

  it('evicts far behind the playhead and stale ranges far ahead', () => {
    expect(evictionRanges([{ start: 0, end: 50 }], 40, 10, 30, 30)).toEqual([{ start: 0, end: 30 }])
    expect(evictionRanges([{ start: 0, end: 50 }], 20, 10, 30, 30)).toEqual([])
    expect(
      evictionRanges(
        [
          { start: 10, end: 20 },
          { start: 200, end: 210 },
        ],
        15,
        10,
        30,
        30,
      ),
    ).toEqual([{ start: 200, end: 210 }])
  })
})

describe('storyboard', () => {
  const vtt = `WEBVTT

00:00:00.000 --> 00:00:05.000
sprite-0.jpg#xywh=0,0,160,90

00:00:05.000 --> 00:00:10.000
sprite-0.jpg#xywh=160,0,160,90

1
00:01:00.5 --> 00:01:05.000
https://cdn.example/s.jpg#xywh=0,90,160,90
`
  it('parses cues with sprite regions, resolving relative to the VTT', () => {
    const cues = parseStoryboard(vtt, '/api/v1/content/abc/t/tok/thumbs/storyboard.vtt')
    expect(cues).toHaveLength(3)
    expect(cues[1]).toEqual({ start: 5, end: 10, url: '/api/v1/content/abc/t/tok/thumbs/sprite-0.jpg', x: 160, y: 0, w: 160, h: 90 })
    expect(cues[2].url).toBe('https://cdn.example/s.jpg')
    expect(storyboardAt(cues, 7.2)).toBe(cues[1])
    expect(storyboardAt(cues, 0)).toBe(cues[0])
    expect(parseVttTime('01:02:03.5')).toBe(3723.5)
    expect(parseVttTime('nope')).toBeNull()
  })
})

describe('keyboard', () => {
  it('maps space, arrows, f and m; ignores typing and modifiers', () => {
    expect(keyAction({ key: ' ' })).toEqual({ type: 'toggle-play' })
    expect(keyAction({ key: 'ArrowLeft' })).toEqual({ type: 'seek-by', seconds: -5 })
    expect(keyAction({ key: 'ArrowRight' })).toEqual({ type: 'seek-by', seconds: 5 })
    expect(keyAction({ key: 'ArrowUp' })).toEqual({ type: 'volume-by', delta: 0.1 })
    expect(keyAction({ key: 'f' })).toEqual({ type: 'toggle-fullscreen' })
    expect(keyAction({ key: 'M' })).toEqual({ type: 'toggle-mute' })
    expect(keyAction({ key: ' ', targetTag: 'INPUT' })).toBeNull()
    expect(keyAction({ key: 'f', targetEditable: true })).toBeNull()
    expect(keyAction({ key: 'f', ctrlKey: true })).toBeNull()
    expect(keyAction({ key: 'x' })).toBeNull()
  })
})

describe('quality menu', () => {
  const levels = () => {
    const l = [
      { id: 'a', height: 360, bitrate: 800_000, enabled: true },
      { id: 'b', height: 1080, bitrate: 5_000_000, enabled: true },
      { id: 'c', height: 720, bitrate: 2_500_000, enabled: true },
    ]
    return Object.assign(l, { selectedIndex: 2 })
  }
  it('lists Auto then rungs by height, and enables only the chosen one', () => {
    const l = levels()
    expect(qualityOptions(l).map((o) => o.label)).toEqual(['Auto', '1080p', '720p', '360p'])
    expect(currentHeight(l)).toBe(720)
    applyQuality(l, '360')
    expect(l.map((x) => x.enabled)).toEqual([true, false, false])
    applyQuality(l, 'auto')
    expect(l.every((x) => x.enabled)).toBe(true)
    expect(applyQuality(l, '4320')).toBe(3)
    expect(l.every((x) => x.enabled)).toBe(true)
  })

  it('turns the chosen rung off before on, so VHS switches at once', () => {
    const log: string[] = []
    const level = (height: number) => {
      let on = true
      return {
        id: String(height),
        height,
        get enabled() {
          return on
        },
        set enabled(v: boolean) {
          log.push(`${height}:${v}`)
          on = v
        },
      }
    }
    const l = Object.assign([level(360), level(180)], { selectedIndex: 0 })
    applyQuality(l, '180')
    expect(log).toEqual(['360:false', '180:false', '180:true'])
  })
})

describe('volume memory', () => {
  it('round-trips through storage and survives junk', () => {
    const data = new Map<string, string>()
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) }
    expect(loadVolume(store)).toEqual({ volume: 1, muted: false })
    saveVolume({ volume: 0.333, muted: true }, store)
    expect(loadVolume(store)).toEqual({ volume: 0.33, muted: true })
    data.set(VOLUME_KEY, '{"volume": 7}')
    expect(loadVolume(store)).toEqual({ volume: 1, muted: false })
    data.set(VOLUME_KEY, 'not json')
    expect(loadVolume(store)).toEqual({ volume: 1, muted: false })
  })
})
