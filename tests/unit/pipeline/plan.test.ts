import { describe, expect, it } from 'vitest'
import { parseStreamingConfig } from '@/lib/config/streaming'
import { planTranscode } from '@/lib/pipeline/transcode-plan'
import { facts } from './probe-fixtures'

const config = parseStreamingConfig({
  streaming: {
    segment_duration: 4,
    startup_segments: [1, 1, 2],
    buffer_ahead: 20,
    enable_abr: true,
    profiles: [
      { name: '1080p', width: 1920, height: 1080, bitrate: 4000, quality: 23 },
      { name: '720p', width: 1280, height: 720, bitrate: 2500, quality: 23 },
    ],
    encoder: { preset: 'veryfast', threads: 0 },
    storage: { retention_days: 30, dedup: true },
    limits: { max_duration_s: 3600, max_streams: 8, max_upload_bytes: 1e9 },
    direct_play_max_bytes: 1000,
  },
})

describe('planTranscode', () => {
  it('lists renditions with ids, folders and playlists before anything runs', () => {
    const plan = planTranscode(facts({ durationMs: 60_000 }), config)
    expect(plan.renditions).toEqual([
      { id: 0, name: '1080p', kind: 'video', width: 1920, height: 1080, bitrate: 4_000_000, dir: 'streams/0', playlist: 'media_0.m3u8', expectedSegments: 17 },
      { id: 1, name: '720p', kind: 'video', width: 1280, height: 720, bitrate: 2_500_000, dir: 'streams/1', playlist: 'media_1.m3u8', expectedSegments: 17 },
      {
        id: 2,
        name: 'audio',
        kind: 'audio',
        width: 0,
        height: 0,
        bitrate: 128_000,
        dir: 'streams/2',
        playlist: 'media_2.m3u8',
        expectedSegments: 17,
        audio: { language: 'und', label: 'Audio', isDefault: true },
      },
    ])
    expect(plan.segmentsTotal).toBe(51)
    // 6.628 Mbit/s × 60 s / 8 × 1.05
    expect(plan.estimatedBytes).toBe(52_195_500)
  })

  it('plans without audio and with the fallback ladder', () => {
    const plan = planTranscode(facts({ hasAudio: false }), config, { fallback: true })
    expect(plan.renditions.map((r) => `${r.id}:${r.name}`)).toEqual(['0:720p'])
    expect(plan.ladder.audioTracks).toEqual([])
  })
})
