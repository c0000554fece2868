import { describe, expect, it } from 'vitest'
import { playabilityOf } from '@/lib/content/playability'
import { factsFromFfprobe } from '@/lib/pipeline/probe'
import { facts, h264High720, hevcMkv1080, landscape1080, mpeg2Ts, oddNoAudio, phonePortrait, vp9OpusWebm } from '../pipeline/probe-fixtures'

const probed = (raw: unknown, container: Parameters<typeof factsFromFfprobe>[1]) => factsFromFfprobe(raw, container, 1_000_000)

describe('playabilityOf (from probe facts)', () => {
  it.each([
    ['H.264 High 3.1 + AAC LC in MP4', 'video/mp4', probed(h264High720, 'mov'), true, 'video/mp4; codecs="avc1.64001f, mp4a.40.2"'],
    ['H.264 + AAC in a QuickTime file (offered as MP4)', 'video/quicktime', probed(h264High720, 'mov'), true, 'video/mp4; codecs="avc1.64001f, mp4a.40.2"'],
    ['H.264 without a reported profile (older probe rows)', 'video/mp4', probed(landscape1080, 'mov'), true, 'video/mp4; codecs="avc1.640028, mp4a.40.2"'],
    ['VP9 profile 0 + Opus in WebM', 'video/webm', probed(vp9OpusWebm, 'matroska'), true, 'video/webm; codecs="vp09.00.31.08, opus"'],
    ['HEVC Main + AAC in Matroska', 'video/x-matroska', probed(hevcMkv1080, 'matroska'), false, 'video/x-matroska; codecs="hvc1.1.6.L120.B0, mp4a.40.2"'],
    ['HEVC Main 10 + AAC in MOV (iPhone)', 'video/quicktime', probed(phonePortrait, 'mov'), false, 'video/mp4; codecs="hvc1.2.4.L120.B0, mp4a.40.2"'],
    ['H.264 in Matroska', 'video/x-matroska', probed(oddNoAudio, 'matroska'), false, 'video/x-matroska; codecs="avc1.640028"'],
    ['MPEG-2 + MP2 in MPEG-TS', 'video/mp2t', probed(mpeg2Ts, 'mpegts'), false, 'video/mp2t; codecs="mpeg2video, mp2"'],
  ])('%s', (_name, mime, f, playable, mimeCodecs) => {
    expect(playabilityOf(mime, f)).toEqual({ directlyPlayable: playable, mimeCodecs })
  })

  it('refuses H.264 profiles browsers do not decode and 4:4:4 pixels', () => {
    expect(playabilityOf('video/mp4', facts({ videoProfile: 'High 10', videoLevel: 40, pixFmt: 'yuv420p10le' }))).toEqual({
      directlyPlayable: false,
      mimeCodecs: 'video/mp4; codecs="avc1.6e0028, mp4a.40.2"',
    })
    expect(playabilityOf('video/mp4', facts({ videoProfile: 'High 4:4:4 Predictive', videoLevel: 13, pixFmt: 'yuv444p' })).directlyPlayable).toBe(false)
    expect(playabilityOf('video/mp4', facts({ videoProfile: 'Constrained Baseline', videoLevel: 30 }))).toMatchObject({
      directlyPlayable: true,
      mimeCodecs: expect.stringContaining('avc1.42401e'),
    })
  })

  it('needs audio the container plays in browsers', () => {
    expect(playabilityOf('video/mp4', facts({ audioCodec: 'pcm_s16le' })).directlyPlayable).toBe(false)
    expect(playabilityOf('video/webm', facts({ videoCodec: 'vp9', videoProfile: 'Profile 0', audioCodec: 'aac' })).directlyPlayable).toBe(false)
    expect(playabilityOf('video/mp4', facts({ audioCodec: 'aac', audioProfile: 'HE-AAC' })).mimeCodecs).toContain('mp4a.40.5')
    expect(playabilityOf('video/mp4', facts({ hasAudio: false, audioCodec: null })).mimeCodecs).toBe('video/mp4; codecs="avc1.640028"')
  })

  it('plays AV1 in WebM and MP4, Vorbis in WebM', () => {
    expect(playabilityOf('video/webm', facts({ videoCodec: 'av1', videoProfile: 'Main', audioCodec: 'vorbis' }))).toEqual({
      directlyPlayable: true,
      mimeCodecs: 'video/webm; codecs="av01.0.08M.08, vorbis"',
    })
    expect(playabilityOf('video/mp4', facts({ videoCodec: 'av1' })).directlyPlayable).toBe(true)
  })
})
