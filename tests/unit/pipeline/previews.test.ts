import { describe, expect, it } from 'vitest'
import { buildStoryboardVtt, planStoryboard, previewTimes } from '@/lib/pipeline/previews'

describe('planStoryboard', () => {
  it('uses one tile per second for short videos', () => {
    expect(planStoryboard(6_000, { width: 1920, height: 1080 })).toEqual({ interval: 1, tiles: 6, columns: 6, rows: 1, tileWidth: 160, tileHeight: 90 })
  })

  it('caps a long video at 10×10 tiles, whole seconds apart', () => {
    expect(planStoryboard(7_200_000, { width: 1280, height: 720 })).toMatchObject({ interval: 72, tiles: 100, columns: 10, rows: 10 })
    expect(planStoryboard(150_000, { width: 1280, height: 720 })).toMatchObject({ interval: 2, tiles: 75, columns: 10, rows: 8 })
  })

  it('keeps tiles 160 px wide with an even height for portrait and odd sources', () => {
    expect(planStoryboard(10_000, { width: 1080, height: 1920 })).toMatchObject({ tileWidth: 160, tileHeight: 284 })
    expect(planStoryboard(10_000, { width: 854, height: 481 })).toMatchObject({ tileHeight: 90 })
  })

  it('still makes one tile for a sub-second clip', () => {
    expect(planStoryboard(400, { width: 640, height: 360 })).toMatchObject({ interval: 1, tiles: 1, columns: 1, rows: 1 })
  })
})

describe('buildStoryboardVtt', () => {
  it('writes one cue per tile with #xywh into the sprite, the last one ending with the video', () => {
    const plan = planStoryboard(25_500, { width: 1280, height: 720 })
    const vtt = buildStoryboardVtt({ ...plan, interval: 2, tiles: 13, columns: 10, rows: 2 }, 25_500)
    const lines = vtt.split('\n')
    expect(lines.slice(0, 5)).toEqual(['WEBVTT', '', '00:00:00.000 --> 00:00:02.000', 'storyboard.jpg#xywh=0,0,160,90', ''])
    expect(vtt).toContain('00:00:18.000 --> 00:00:20.000\nstoryboard.jpg#xywh=1440,0,160,90\n')
    expect(vtt).toContain('00:00:20.000 --> 00:00:22.000\nstoryboard.jpg#xywh=0,90,160,90\n')
    expect(vtt.trimEnd().endsWith('00:00:24.000 --> 00:00:25.500\nstoryboard.jpg#xywh=320,90,160,90')).toBe(true)
    expect(vtt.match(/-->/g)).toHaveLength(13)
  })

  it('formats hours', () => {
    const plan = planStoryboard(7_200_000, { width: 1280, height: 720 })
    expect(buildStoryboardVtt(plan, 7_200_000, 'sb.jpg')).toContain('01:58:48.000 --> 02:00:00.000\nsb.jpg#xywh=1440,810,160,90')
  })
})

describe('previewTimes', () => {
  it('takes the poster 10 % in (at most 10 s) and spreads thumbnails', () => {
    expect(previewTimes(60_000, 5)).toEqual({ poster: 6, thumbnails: [6, 18, 30, 42, 54] })
    expect(previewTimes(600_000, 2).poster).toBe(10)
  })

  it('stays inside a one-second clip', () => {
    const t = previewTimes(1_000, 3)
    expect(t.poster).toBeCloseTo(0.1)
    expect(Math.max(...t.thumbnails)).toBeLessThanOrEqual(0.9)
  })
})
