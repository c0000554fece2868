import { describe, expect, it } from 'vitest'
import { canPlayOriginal, DASH_TYPE, HLS_TYPE, isMp4Family, LARGE_VIDEO_BYTES, originalVerdict, planSource } from '@/lib/player/source'

const urls = { direct: '/c/h/original', hls: '/c/h/master.m3u8', dash: '/c/h/manifest.mpd', poster: null, storyboard: null }
const processing = { status: 'processing' as const, sizeBytes: 1000, playback: { ...urls, hls: null, dash: null } }

describe('source choice (streaming management layer)', () => {
  it('ready: HLS through VHS, DASH when asked or when HLS is missing', () => {
    expect(planSource({ status: 'ready', playback: urls }, { mediaSource: true })).toEqual({ kind: 'abr', src: urls.hls, type: HLS_TYPE })
    expect(planSource({ status: 'ready', playback: urls }, { mediaSource: true, preferDash: true })).toEqual({ kind: 'abr', src: urls.dash, type: DASH_TYPE })
    expect(planSource({ status: 'ready', playback: { ...urls, hls: null } }, { mediaSource: true })).toMatchObject({ kind: 'abr', type: DASH_TYPE })
  })

  it('processing: the original; in chunks only when large and MediaSource exists', () => {
    expect(planSource(processing, { mediaSource: true })).toEqual({ kind: 'original', src: urls.direct, tryChunks: false, growingHls: null })
    const large = { ...processing, sizeBytes: LARGE_VIDEO_BYTES }
    expect(planSource(large, { mediaSource: true })).toMatchObject({ kind: 'original', tryChunks: true })
    expect(planSource(large, { mediaSource: false })).toMatchObject({ kind: 'original', tryChunks: false })
    expect(planSource({ status: 'ready', playback: urls, sizeBytes: 5 }, { mediaSource: true, preferOriginal: true })).toMatchObject({ kind: 'original' })
  })

  it('processing with growing playlists: still the original, the playlists kept as the fallback', () => {
    expect(planSource({ ...processing, playback: { ...processing.playback, hls: '/c/h/partial/master.m3u8' } }, { mediaSource: true })).toEqual({
      kind: 'original',
      src: urls.direct,
      tryChunks: false,
      growingHls: '/c/h/partial/master.m3u8',
    })
  })

  it('failed: the reason', () => {
    expect(planSource({ status: 'failed', error: 'no video stream', playback: urls }, { mediaSource: true })).toEqual({
      kind: 'failed',
      reason: 'no video stream',
    })
    expect(planSource({ status: 'failed', playback: urls }, { mediaSource: true })).toMatchObject({ kind: 'failed', reason: expect.any(String) })
  })

  it('asks canPlayType about the original, trying MP4 for unknown types', () => {
    const chromium = (t: string) => (['video/mp4', 'video/webm'].includes(t) ? 'maybe' : '')
    expect(canPlayOriginal('video/mp4', chromium)).toBe(true)
    expect(canPlayOriginal('video/webm; codecs=vp9', chromium)).toBe(true)
    expect(canPlayOriginal('video/x-matroska', chromium)).toBe(false)
    expect(canPlayOriginal('video/quicktime', chromium)).toBe(true)
    expect(canPlayOriginal('application/octet-stream', chromium)).toBe(true)
    expect(canPlayOriginal(null, () => '')).toBe(false)
    expect(isMp4Family('video/mp4')).toBe(true)
    expect(isMp4Family('video/webm')).toBe(false)
  })

  describe('from probe facts', () => {
    const hevc = { directPlayable: false, mimeCodecs: 'video/x-matroska; codecs="hvc1.1.6.L120.B0, mp4a.40.2"' }
    const h264 = { directPlayable: true, mimeCodecs: 'video/mp4; codecs="avc1.64001f, mp4a.40.2"' }
    const chromium = {
      canPlayType: (t: string) => (t.startsWith('video/mp4') || t === 'video/x-matroska' ? 'maybe' : ''),
      isTypeSupported: (t: string) => t.startsWith('video/mp4'),
    }

    it('originalVerdict: the probe rules out, the browser rules in, unknown before the probe', () => {
      expect(originalVerdict({ ...urls, ...hevc }, chromium)).toBe('unplayable')
      expect(originalVerdict({ ...urls, ...h264 }, chromium)).toBe('playable')
      expect(originalVerdict({ ...urls, ...h264 }, { canPlayType: () => '', isTypeSupported: () => true })).toBe('playable')
      expect(originalVerdict({ ...urls, ...h264 }, { canPlayType: () => '' })).toBe('unplayable')
      expect(originalVerdict({ ...urls, directPlayable: null, mimeCodecs: null }, chromium)).toBe('unknown')
      expect(originalVerdict(urls, chromium)).toBe('unknown')
    })

    it('unplayable while processing: growing HLS once live, a progress state before', () => {
      const live = { ...processing, playback: { ...processing.playback, ...hevc, hls: '/c/h/.partial/master.m3u8', live: true } }
      expect(planSource(live, { mediaSource: true, original: 'unplayable' })).toEqual({ kind: 'growing', src: '/c/h/.partial/master.m3u8', type: HLS_TYPE })
      expect(planSource({ ...processing, playback: { ...processing.playback, ...hevc } }, { mediaSource: true, original: 'unplayable' })).toMatchObject({
        kind: 'waiting',
      })
      // Even a preference for the original does not offer one that cannot play.
      expect(planSource(live, { mediaSource: true, original: 'unplayable', preferOriginal: true })).toMatchObject({ kind: 'growing' })
      expect(
        planSource({ status: 'ready', playback: { ...urls, ...hevc } }, { mediaSource: true, original: 'unplayable', preferOriginal: true }),
      ).toMatchObject({ kind: 'abr' })
    })

    it('playable or unknown: the original, as before', () => {
      const live = { ...processing, playback: { ...processing.playback, ...h264, hls: '/g.m3u8', live: true } }
      expect(planSource(live, { mediaSource: true, original: 'playable' })).toMatchObject({ kind: 'original', src: urls.direct })
      expect(planSource(processing, { mediaSource: true, original: 'unknown' })).toMatchObject({ kind: 'original', src: urls.direct })
    })
  })
})
