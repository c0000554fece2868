import { describe, expect, it } from 'vitest'
import type { Profile } from '@/lib/config/streaming'
import { planLadder, planRungs, snapFps } from '@/lib/pipeline/ladder'
import { facts } from './probe-fixtures'

const profiles: Profile[] = [
  { name: '1080p', width: 1920, height: 1080, bitrate: 4000, quality: 23 },
  { name: '720p', width: 1280, height: 720, bitrate: 2500, quality: 23 },
  { name: '480p', width: 854, height: 480, bitrate: 1200, quality: 23 },
  { name: '360p', width: 640, height: 360, bitrate: 700, quality: 23 },
]
const sizes = (w: number, h: number, opts = {}) => planRungs({ width: w, height: h }, profiles, opts).map((r) => `${r.name} ${r.width}x${r.height}`)

describe('planRungs', () => {
  it('takes every profile at or below a 1080p source, highest first', () => {
    expect(sizes(1920, 1080)).toEqual(['1080p 1920x1080', '720p 1280x720', '480p 854x480', '360p 640x360'])
  })

  it('never goes above the source', () => {
    expect(sizes(1280, 720)).toEqual(['720p 1280x720', '480p 854x480', '360p 640x360'])
    for (const [w, h] of [
      [1280, 720],
      [854, 481],
      [1080, 1920],
      [3840, 2160],
      [2560, 1080],
      [320, 240],
    ]) {
      for (const r of planRungs({ width: w, height: h }, profiles)) {
        expect(r.width).toBeLessThanOrEqual(w)
        expect(r.height).toBeLessThanOrEqual(h)
      }
    }
  })

  it('keeps the aspect ratio with even sizes for an odd source', () => {
    expect(sizes(854, 481)).toEqual(['480p 852x480', '360p 640x360'])
  })

  it('stands the ladder up for a portrait (rotated phone) source', () => {
    expect(sizes(1080, 1920)).toEqual(['1080p 1080x1920', '720p 720x1280', '480p 480x854', '360p 360x640'])
  })

  it('measures ultra-wide sources by their short side', () => {
    expect(sizes(2560, 1080)[0]).toBe('1080p 2560x1080')
  })

  it('gives a source smaller than every profile one rung at its own size, with a smaller budget', () => {
    const [r] = planRungs({ width: 321, height: 241 }, profiles)
    expect(r).toEqual({ name: '240p', width: 320, height: 240, bitrate: 233, quality: 23 })
  })

  it('drops the top rung in fallback mode, but never the last one', () => {
    expect(sizes(1920, 1080, { fallback: true })).toEqual(['720p 1280x720', '480p 854x480', '360p 640x360'])
    expect(sizes(640, 360, { fallback: true })).toEqual(['360p 640x360'])
  })

  it('keeps only the top rung without ABR', () => {
    expect(sizes(1920, 1080, { abr: false })).toEqual(['1080p 1920x1080'])
  })
})

describe('planLadder', () => {
  const config = { profiles, enableAbr: true, encoder: { preset: 'veryfast', threads: 0, maxFps: 60 }, audio: { maxTracks: 4 } }

  it('keeps a constant frame rate as it is', () => {
    expect(planLadder(facts({ fps: 30000 / 1001 }), config)).toMatchObject({
      fps: '30000/1001',
      resample: false,
      audioTracks: [{ input: '0:a:0', name: 'audio' }],
    })
  })

  it('resamples variable-rate and too-fast sources', () => {
    expect(planLadder(facts({ fps: 29.35, vfr: true }), config)).toMatchObject({ fps: '30000/1001', resample: true })
    expect(planLadder(facts({ fps: 240 }), config)).toMatchObject({ fps: '60', resample: true })
    expect(planLadder(facts({ fps: 0 }), config)).toMatchObject({ fps: '30', resample: true })
  })

  it('notes a video-only source', () => {
    expect(planLadder(facts({ hasAudio: false }), config).audioTracks).toEqual([])
  })
})

describe('snapFps', () => {
  it.each([
    [23.98, '24000/1001'],
    [25.3, '25'],
    [29.35, '30000/1001'],
    [59.9, '60000/1001'],
    [15, '15'],
    [12.4, '12'],
  ])('%d -> %s', (fps, want) => expect(snapFps(fps)).toBe(want))
})
