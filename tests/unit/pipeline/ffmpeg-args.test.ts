import { describe, expect, it } from 'vitest'
import type { StreamingConfig } from '@/lib/config/streaming'
import { buildFilterGraph, buildTranscodeArgs, representationIds, safeInputArgs } from '@/lib/pipeline/ffmpeg-args'
import { planLadder } from '@/lib/pipeline/ladder'
import { factsFromFfprobe, type ProbeFacts } from '@/lib/pipeline/probe'
import { bitDepthOf, colorFactsOf } from '@/lib/pipeline/color'
import { hlgNoPrimaries, landscape1080, oddNoAudio, phonePortrait, pqHevc, sdr10bit709, wideGamutSdr } from './probe-fixtures'

const config: StreamingConfig = {
  segmentDuration: 4,
  startupSegments: [1, 1, 2],
  bufferAhead: 20,
  enableAbr: true,
  profiles: [
    { name: '1080p', width: 1920, height: 1080, bitrate: 4000, quality: 23 },
    { name: '720p', width: 1280, height: 720, bitrate: 2500, quality: 23 },
    { name: '480p', width: 854, height: 480, bitrate: 1200, quality: 23 },
    { name: '360p', width: 640, height: 360, bitrate: 700, quality: 23 },
  ],
  audio: { bitrate: 128, channels: 2, sampleRate: 48000, maxTracks: 4 },
  encoder: { preset: 'veryfast', threads: 0, maxFps: 60 },
  storage: { retentionDays: 30, dedup: true },
  limits: { maxWidth: 7680, maxHeight: 4320, maxDurationS: 14400, maxStreams: 16, maxUploadBytes: 2 ** 33 },
  directPlayMaxBytes: 20 * 2 ** 20,
  delivery: { idleTimeoutS: 60, maxConnections: 1000, maxConnectionsPerClient: 100 },
}

function argsFor(facts: ProbeFacts, opts: { fallback?: boolean; cfg?: StreamingConfig } = {}) {
  const cfg = opts.cfg ?? config
  const plan = planLadder(facts, cfg, { fallback: opts.fallback })
  return buildTranscodeArgs({ inputPath: '/data/content/ab/abc/original', outDir: '/data/content/ab/abc/.partial', facts, plan, config: cfg })
}

/** The value following `flag` (first occurrence). */
const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1]

describe('buildTranscodeArgs', () => {
  it('builds the whole command for a 1080p source with audio', () => {
    const facts = factsFromFfprobe(landscape1080, 'mov', 46_500_000)
    expect(argsFor(facts)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-loglevel',
      'level+warning',
      '-progress',
      'pipe:1',
      '-y',
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      'mov,matroska,avi,mpegts,flv,ogg',
      '-f',
      'mov',
      '-enable_drefs',
      '0',
      '-i',
      'file:/data/content/ab/abc/original',
      '-filter_complex',
      '[0:v:0]split=4[s0][s1][s2][s3];[s0]scale=1920:1080,format=yuv420p[v0];[s1]scale=1280:720,format=yuv420p[v1];[s2]scale=854:480,format=yuv420p[v2];[s3]scale=640:360,format=yuv420p[v3]',
      '-map',
      '[v0]',
      '-map',
      '[v1]',
      '-map',
      '[v2]',
      '-map',
      '[v3]',
      '-map',
      '0:a:0',
      '-map_metadata',
      '-1',
      '-map_chapters',
      '-1',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'main',
      '-g',
      '240',
      '-sc_threshold',
      '0',
      '-force_key_frames',
      'expr:gte(t,if(lte(n_forced,3),if(eq(n_forced,0),0,if(eq(n_forced,1),1,if(eq(n_forced,2),2,4))),4+4*(n_forced-3)))',
      '-crf:v:0',
      '23',
      '-b:v:0',
      '4000k',
      '-maxrate:v:0',
      '4000k',
      '-bufsize:v:0',
      '8000k',
      '-crf:v:1',
      '23',
      '-b:v:1',
      '2500k',
      '-maxrate:v:1',
      '2500k',
      '-bufsize:v:1',
      '5000k',
      '-crf:v:2',
      '23',
      '-b:v:2',
      '1200k',
      '-maxrate:v:2',
      '1200k',
      '-bufsize:v:2',
      '2400k',
      '-crf:v:3',
      '23',
      '-b:v:3',
      '700k',
      '-maxrate:v:3',
      '700k',
      '-bufsize:v:3',
      '1400k',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-ac',
      '2',
      '-ar',
      '48000',
      '-max_muxing_queue_size',
      '1024',
      '-f',
      'dash',
      '-dash_segment_type',
      'mp4',
      '-seg_duration',
      '4',
      '-use_template',
      '1',
      '-use_timeline',
      '1',
      '-adaptation_sets',
      'id=0,seg_duration=1,streams=v id=1,seg_duration=4,streams=4',
      '-init_seg_name',
      'streams/$RepresentationID$/init.m4s',
      '-media_seg_name',
      'streams/$RepresentationID$/seg-$Number%05d$.m4s',
      '-hls_playlist',
      '1',
      '-hls_master_name',
      'master.m3u8',
      '/data/content/ab/abc/.partial/manifest.mpd',
    ])
  })

  it('encodes a video-only source without audio options or an audio adaptation set', () => {
    const args = argsFor(factsFromFfprobe(oddNoAudio, 'matroska', 1_400_000))
    expect(args).not.toContain('0:a:0')
    expect(args).not.toContain('-c:a')
    expect(flagValue(args, '-adaptation_sets')).toBe('id=0,seg_duration=1,streams=v')
    expect(flagValue(args, '-f')).toBe('matroska')
    expect(args).not.toContain('-enable_drefs')
    // 854×481 → even sizes, aspect kept; 4:4:4 is converted for every player.
    expect(flagValue(args, '-filter_complex')).toBe('[0:v:0]split=2[s0][s1];[s0]scale=852:480,format=yuv420p[v0];[s1]scale=640:360,format=yuv420p[v1]')
  })

  it('resamples a variable-rate portrait phone video and stands the ladder up', () => {
    const args = argsFor(factsFromFfprobe(phonePortrait, 'mov', 15_000_000))
    expect(flagValue(args, '-filter_complex')).toBe(
      '[0:v:0]fps=30000/1001,split=4[s0][s1][s2][s3];[s0]scale=1080:1920,format=yuv420p[v0];[s1]scale=720:1280,format=yuv420p[v1];[s2]scale=480:854,format=yuv420p[v2];[s3]scale=360:640,format=yuv420p[v3]',
    )
    // Only the first video and audio streams are mapped: the phone's data tracks are dropped.
    expect(args.filter((a) => a === '-map')).toHaveLength(5)
  })

  it('drops the top rung in fallback mode', () => {
    const args = argsFor(factsFromFfprobe(landscape1080, 'mov', 1), { fallback: true })
    expect(flagValue(args, '-filter_complex')).toMatch(/^\[0:v:0\]split=3\[s0\]\[s1\]\[s2\];\[s0\]scale=1280:720/)
    expect(flagValue(args, '-b:v:0')).toBe('2500k')
  })

  it('uses a single chain when one rung is enough, and passes threads when configured', () => {
    const cfg = { ...config, enableAbr: false, encoder: { ...config.encoder, threads: 2 }, startupSegments: [] }
    const args = argsFor(factsFromFfprobe(landscape1080, 'mov', 1), { cfg })
    expect(flagValue(args, '-filter_complex')).toBe('[0:v:0]scale=1920:1080,format=yuv420p[v0]')
    expect(flagValue(args, '-threads')).toBe('2')
    expect(flagValue(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*4)')
    expect(flagValue(args, '-adaptation_sets')).toBe('id=0,seg_duration=4,streams=v id=1,seg_duration=4,streams=1')
  })

  it('never lets the input choose its demuxer or protocol', () => {
    for (const args of [argsFor(factsFromFfprobe(landscape1080, 'mov', 1)), argsFor(factsFromFfprobe(oddNoAudio, 'matroska', 1))]) {
      const input = args.slice(0, args.indexOf('-i') + 2)
      expect(flagValue(input, '-protocol_whitelist')).toBe('file')
      expect(flagValue(input, '-f')).toMatch(/^(mov|matroska)$/)
      expect(input[input.length - 1]).toMatch(/^file:\//)
    }
  })
})

describe('HDR and wide-gamut sources', () => {
  const TAGS = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709']
  const tagsIn = (args: string[]) => args.slice(args.indexOf('-color_primaries'), args.indexOf('-color_primaries') + 6)

  it("tone-maps a 4K PQ source once, at the top rung's size before the split, and tags the renditions BT.709", () => {
    const args = argsFor(factsFromFfprobe(pqHevc, 'mov', 15_000_000))
    expect(flagValue(args, '-filter_complex')).toBe(
      '[0:v:0]scale=1920:1080,zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:rin=tv:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=mobius:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p,' +
        'split=4[s0][s1][s2][s3];[s0]scale=1920:1080,format=yuv420p[v0];[s1]scale=1280:720,format=yuv420p[v1];[s2]scale=854:480,format=yuv420p[v2];[s3]scale=640:360,format=yuv420p[v3]',
    )
    expect(tagsIn(args)).toEqual(TAGS)
    // Tags are output options: after the filter graph, with the encoder's.
    expect(args.indexOf('-color_primaries')).toBeGreaterThan(args.indexOf('-c:v'))
  })

  it('tone-maps HLG, assuming BT.2020 when the primaries are untagged, and reads full range as such', () => {
    const graph = flagValue(argsFor(factsFromFfprobe(hlgNoPrimaries, 'matroska', 1)), '-filter_complex')
    expect(graph).toMatch(
      /^\[0:v:0\]scale=1920:1080,zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:rin=pc:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=mobius:desat=0,/,
    )
  })

  it('converts wide-gamut SDR to BT.709 primaries without tone mapping', () => {
    const args = argsFor(factsFromFfprobe(wideGamutSdr, 'mov', 1))
    expect(flagValue(args, '-filter_complex')).toMatch(
      /^\[0:v:0\]scale=1920:1080,zscale=tin=bt2020-10:pin=bt2020:min=bt2020nc:rin=tv:p=bt709:t=bt709:m=bt709:r=tv,format=yuv420p,split=4/,
    )
    expect(flagValue(args, '-filter_complex')).not.toContain('tonemap')
    expect(tagsIn(args)).toEqual(TAGS)
  })

  it('only converts 10-bit SDR to 8-bit 4:2:0, keeping its BT.709 tags', () => {
    const args = argsFor(factsFromFfprobe(sdr10bit709, 'mov', 1))
    expect(flagValue(args, '-filter_complex')).toMatch(/^\[0:v:0\]split=4\[s0\]\[s1\]\[s2\]\[s3\];\[s0\]scale=1920:1080,format=yuv420p\[v0\]/)
    expect(tagsIn(args)).toEqual(TAGS)
  })

  it('leaves untagged SDR sources untagged (10-bit phone video too)', () => {
    const args = argsFor(factsFromFfprobe(phonePortrait, 'mov', 1))
    expect(args).not.toContain('-color_primaries')
    expect(flagValue(args, '-filter_complex')).not.toContain('zscale')
  })

  it('records the colour facts and bit depth from ffprobe', () => {
    expect(factsFromFfprobe(pqHevc, 'mov', 1).color).toEqual({ transfer: 'smpte2084', primaries: 'bt2020', matrix: 'bt2020nc', range: 'tv', bitDepth: 10 })
    expect(colorFactsOf({ color_transfer: 'unknown', pix_fmt: 'yuv420p' })).toEqual({ transfer: null, primaries: null, matrix: null, range: null, bitDepth: 8 })
    expect(['yuv420p', 'yuv420p10le', 'p010le', 'yuv444p12le', 'gray16be'].map(bitDepthOf)).toEqual([8, 10, 10, 12, 16])
  })
})

describe('safeInputArgs', () => {
  it('resolves relative paths and adds fast seeking before the input', () => {
    const args = safeInputArgs('clip.mkv', 'matroska', { seekS: 1.5 })
    expect(args.slice(-4)).toEqual(['-ss', '1.500', '-i', `file:${process.cwd()}/clip.mkv`])
  })
})

describe('representationIds and buildFilterGraph', () => {
  it('numbers video rungs from the top and audio last, as the muxer does', () => {
    expect(representationIds({ rungs: [{}, {}, {}] as never, audioTracks: [{}] as never })).toEqual({ video: [0, 1, 2], audio: [3] })
    expect(representationIds({ rungs: [{}, {}] as never, audioTracks: [{}, {}] as never })).toEqual({ video: [0, 1], audio: [2, 3] })
    expect(representationIds({ rungs: [{}] as never, audioTracks: [] })).toEqual({ video: [0], audio: [] })
  })

  it('resamples before splitting, once', () => {
    const g = buildFilterGraph({ rungs: [{ name: 'a', width: 640, height: 360, bitrate: 1, quality: 1 }], fps: '30', resample: true })
    expect(g).toBe('[0:v:0]fps=30,scale=640:360,format=yuv420p[v0]')
  })
})
