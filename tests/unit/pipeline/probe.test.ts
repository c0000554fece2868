import { describe, expect, it } from 'vitest'
import { MediaRejected } from '@/lib/pipeline/errors'
import { buildProbeArgs, checkLimits, factsFromFfprobe } from '@/lib/pipeline/probe'
import { sniffContainer } from '@/lib/content/sniff'
import { anamorphicDv, audioWithCover, facts, landscape1080, noDuration, oddNoAudio, phonePortrait, slowMotion240 } from './probe-fixtures'

const limits = { maxWidth: 7680, maxHeight: 4320, maxDurationS: 14_400, maxStreams: 16, maxUploadBytes: 10 * 2 ** 30 }

function rejection(fn: () => unknown): MediaRejected {
  try {
    fn()
  } catch (err) {
    if (err instanceof MediaRejected) return err
    throw err
  }
  throw new Error('expected a MediaRejected')
}

describe('factsFromFfprobe', () => {
  it('reads a plain landscape file', () => {
    expect(factsFromFfprobe(landscape1080, 'mov', 46_500_000)).toEqual(facts())
  })

  it('swaps width and height for a rotated phone video and flags variable frame timing', () => {
    const f = factsFromFfprobe(phonePortrait, 'mov', 15_000_000)
    expect(f).toMatchObject({ width: 1080, height: 1920, codedWidth: 1920, codedHeight: 1080, rotation: 270, vfr: true, hasAudio: true, streams: 4 })
    expect(f.fps).toBeCloseTo(29.353, 2)
  })

  it('keeps odd sizes as they are and notes the missing audio', () => {
    expect(factsFromFfprobe(oddNoAudio, 'matroska', 1_400_000)).toMatchObject({
      width: 854,
      height: 481,
      hasAudio: false,
      audioCodec: null,
      container: 'matroska',
    })
  })

  it('widens anamorphic pixels to the display size', () => {
    expect(factsFromFfprobe(anamorphicDv, 'avi', 35_000_000)).toMatchObject({ width: 853, height: 480, codedWidth: 720, fps: 29.97 })
  })

  it('does not take cover art for a video', () => {
    expect(rejection(() => factsFromFfprobe(audioWithCover, 'mov', 6_400_000)).reason).toBe('no_video')
  })

  it('refuses a file without a duration', () => {
    expect(rejection(() => factsFromFfprobe(noDuration, 'mpegts', 1000)).reason).toBe('bad_duration')
  })

  it('refuses output that is not ffprobe JSON', () => {
    expect(rejection(() => factsFromFfprobe({ streams: 'nope' }, 'mov', 1)).reason).toBe('unreadable')
  })

  it('reads the slow-motion frame rate', () => {
    expect(factsFromFfprobe(slowMotion240, 'mov', 25_000_000)).toMatchObject({ fps: 240, vfr: false })
  })
})

describe('checkLimits', () => {
  it('accepts 8K in either orientation', () => {
    expect(() => checkLimits(facts({ width: 7680, height: 4320 }), limits)).not.toThrow()
    expect(() => checkLimits(facts({ width: 4320, height: 7680 }), limits)).not.toThrow()
  })

  it.each([
    [{ width: 7682, height: 4320 }, 'too_large'],
    [{ width: 4400, height: 4400 }, 'too_large'],
    [{ width: 8, height: 8 }, 'bad_dimensions'],
    [{ durationMs: 14_400_001 }, 'too_long'],
    [{ streams: 17 }, 'too_many_streams'],
  ])('refuses %o with %s and says why', (over, reason) => {
    const err = rejection(() => checkLimits(facts(over), limits))
    expect(err.reason).toBe(reason)
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.message).toMatch(/\d/)
  })
})

describe('buildProbeArgs', () => {
  it('forces the sniffed demuxer and keeps ffprobe on the local file', () => {
    expect(buildProbeArgs('/data/in/original', 'matroska')).toEqual([
      '-hide_banner',
      '-v',
      'error',
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      'mov,matroska,avi,mpegts,flv,ogg',
      '-f',
      'matroska',
      '-i',
      'file:/data/in/original',
      '-show_format',
      '-show_streams',
      '-of',
      'json',
    ])
  })

  it('keeps MOV external data references disabled', () => {
    expect(buildProbeArgs('/x/original', 'mov')).toContain('-enable_drefs')
  })
})

describe('sniffContainer', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))), Buffer.alloc(600)])

  it.each([
    [bytes([0, 0, 0, 0x20], 'ftypisom'), 'mov'],
    [bytes([0, 0, 0, 0x08], 'wide'), 'mov'],
    [bytes([0x1a, 0x45, 0xdf, 0xa3]), 'matroska'],
    [bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), 'avi'],
    [bytes('FLV', [1, 5]), 'flv'],
    [bytes('OggS'), 'ogg'],
  ])('recognises %#', (head, demuxer) => {
    expect(sniffContainer(head)).toEqual({ ok: true, demuxer })
  })

  it('recognises MPEG-TS and M2TS packet trains', () => {
    const ts = Buffer.alloc(188 * 3)
    for (let i = 0; i < 3; i++) ts[i * 188] = 0x47
    expect(sniffContainer(ts)).toEqual({ ok: true, demuxer: 'mpegts' })
    const m2ts = Buffer.alloc(192 * 3)
    for (let i = 0; i < 3; i++) m2ts[i * 192 + 4] = 0x47
    expect(sniffContainer(m2ts)).toEqual({ ok: true, demuxer: 'mpegts' })
  })

  it.each([
    ['#EXTM3U\n#EXTINF:10,\n/etc/passwd\n'],
    ['\uFEFF#EXTM3U\n'],
    ["ffconcat version 1.0\nfile '/etc/passwd'\n"],
    ['<?xml version="1.0"?><MPD>'],
    ['[playlist]\nFile1=http://x\n'],
    ['v=0\no=- 0 0 IN IP4 127.0.0.1\n'],
    ['https://example.com/video.mp4\n'],
  ])('refuses text that names other files: %j', (text) => {
    const r = sniffContainer(Buffer.concat([Buffer.from(text), Buffer.alloc(64, 0x20)]))
    expect(r).toMatchObject({ ok: false, reason: 'references_other_files' })
  })

  it('names other media it will not take', () => {
    expect(sniffContainer(bytes([0x30, 0x26, 0xb2, 0x75]))).toMatchObject({
      ok: false,
      reason: 'container_not_allowed',
      message: expect.stringContaining('ASF'),
    })
    expect(sniffContainer(bytes([0x89, 0x50, 0x4e, 0x47]))).toMatchObject({ ok: false, reason: 'container_not_allowed' })
  })

  it('tells empty, tiny and unknown apart', () => {
    expect(sniffContainer(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty' })
    expect(sniffContainer(Buffer.from('abc'))).toMatchObject({ ok: false, reason: 'not_media' })
    expect(sniffContainer(Buffer.alloc(4096, 0x5a))).toMatchObject({ ok: false, reason: 'not_media' })
  })
})
