import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ClipOptions, makeClip, makeTempDir, removeDir } from '@/tests/fixtures/media'
import { loadStreamingConfig, type ProcessResult, processContent } from '@/lib/pipeline'
import { parseHlsMediaPlaylist } from '@/lib/pipeline/manifests'
import { decodeAll } from './helpers'

// Real FFmpeg on small generated clips: every shape must come out as decodable HLS and DASH.

const config = loadStreamingConfig('config/streaming.yaml')
let dir: string

beforeAll(async () => {
  dir = await makeTempDir('pipeline-process-')
})
afterAll(async () => {
  await removeDir(dir)
})

async function run(clip: ClipOptions): Promise<{ out: string; result: ProcessResult; stages: string[] }> {
  const input = await makeClip(dir, clip)
  const out = path.join(dir, `${clip.name}.out`)
  const stages: string[] = []
  const result = await processContent({ inputPath: input, outDir: out, config, onStage: (s) => stages.push(s) })
  return { out, result, stages }
}

async function expectPlayable(out: string, durationMs: number) {
  for (const manifest of ['master.m3u8', 'manifest.mpd']) {
    const d = await decodeAll(path.join(out, manifest))
    expect(d.errors, `${manifest} decode errors`).toBe('')
    expect(d.code).toBe(0)
    // The whole duration decodes, not just the first segments.
    expect(d.decodedMs, manifest).toBeGreaterThanOrEqual(durationMs - 150)
  }
}

function expectCommonLayout(out: string, result: ProcessResult) {
  for (const f of [
    'manifest.mpd',
    'master.m3u8',
    'logs/ffmpeg.log',
    'thumbs/poster.jpg',
    'thumbs/thumb-01.jpg',
    'thumbs/storyboard.jpg',
    'thumbs/storyboard.vtt',
  ])
    expect(existsSync(path.join(out, f)), f).toBe(true)
  expect(existsSync(path.join(out, '.partial')), 'work directory removed').toBe(false)
  for (const r of result.renditions) {
    expect(r.bytes).toBeGreaterThan(0)
    expect(r.segments).toBeGreaterThan(0)
    expect(existsSync(path.join(out, r.playlist))).toBe(true)
    if (r.kind === 'video') {
      expect(r.height).toBeLessThanOrEqual(result.facts.height)
      expect(r.width).toBeLessThanOrEqual(result.facts.width)
      expect((r.width % 2) + (r.height % 2)).toBe(0)
      expect(r.codecs).toMatch(/^avc1\./)
    }
  }
}

describe('processContent on real clips', () => {
  it('landscape 720p with audio: three rungs + audio, short first segments', async () => {
    const { out, result, stages } = await run({ name: 'landscape.mp4', seconds: 5, width: 1280, height: 720, audio: true })
    expect(stages).toEqual(['probe', 'encode', 'previews', 'validate'])
    expect(result.renditions.map((r) => `${r.name} ${r.kind} ${r.width}x${r.height}`)).toEqual([
      '720p video 1280x720',
      '480p video 854x480',
      '360p video 640x360',
      'audio audio 0x0',
    ])
    expect(result.renditions.find((r) => r.kind === 'audio')?.codecs).toBe('mp4a.40.2')
    expect(result.encode.firstPlayableMs).not.toBeNull()
    expectCommonLayout(out, result)
    const media = parseHlsMediaPlaylist(await readFile(path.join(out, 'media_0.m3u8'), 'utf8'))
    expect(media.segments.map((s) => Math.round(s.durationS))).toEqual([1, 1, 2, 1])
    expect(media.ended).toBe(true)
    const vtt = await readFile(path.join(out, 'thumbs/storyboard.vtt'), 'utf8')
    expect(vtt.startsWith('WEBVTT\n')).toBe(true)
    expect(vtt.match(/#xywh=\d+,\d+,160,90/g)).toHaveLength(5)
    const log = await readFile(path.join(out, 'logs/ffmpeg.log'), 'utf8')
    expect(log).toMatch(/^# ffmpeg .*-f dash/)
    await expectPlayable(out, result.facts.durationMs)
  })

  it('portrait phone video with rotation metadata is encoded upright', async () => {
    const { out, result } = await run({ name: 'portrait.mp4', seconds: 3, width: 640, height: 360, audio: true, rotate: 90 })
    expect(result.facts).toMatchObject({ width: 360, height: 640, rotation: 90 })
    expect(result.renditions.filter((r) => r.kind === 'video').map((r) => `${r.width}x${r.height}`)).toEqual(['360x640'])
    expectCommonLayout(out, result)
    await expectPlayable(out, result.facts.durationMs)
  })

  it('video without audio: no audio rendition, still both manifests', async () => {
    const { out, result } = await run({ name: 'silent.mkv', seconds: 3, width: 640, height: 360, audio: false })
    expect(result.facts.hasAudio).toBe(false)
    expect(result.renditions.map((r) => r.kind)).toEqual(['video'])
    expect(await readFile(path.join(out, 'master.m3u8'), 'utf8')).not.toContain('TYPE=AUDIO')
    expectCommonLayout(out, result)
    await expectPlayable(out, result.facts.durationMs)
  })

  it('odd 854×481 4:4:4 source: even sizes, aspect kept, converted to 4:2:0', async () => {
    const { out, result } = await run({ name: 'odd.mkv', seconds: 3, width: 854, height: 481, audio: true })
    expect(result.facts).toMatchObject({ width: 854, height: 481, pixFmt: 'yuv444p' })
    expect(result.renditions.filter((r) => r.kind === 'video').map((r) => `${r.width}x${r.height}`)).toEqual(['852x480', '640x360'])
    expect(result.renditions[0].codecs).toMatch(/^avc1\.4d/) // Main profile: 4:2:0 8-bit
    expectCommonLayout(out, result)
    await expectPlayable(out, result.facts.durationMs)
  })

  it('one-second clip: one segment per rendition', async () => {
    const { out, result } = await run({ name: 'short.mp4', seconds: 1, width: 640, height: 360, audio: true })
    expect(result.renditions.map((r) => r.segments)).toEqual([1, 1])
    expect(result.previews.storyboard.tiles).toBe(1)
    expectCommonLayout(out, result)
    await expectPlayable(out, result.facts.durationMs)
  })

  it('variable frame rate source is resampled to a constant rate', async () => {
    const { out, result } = await run({ name: 'vfr.mp4', seconds: 3, width: 640, height: 360, audio: true, vfr: true })
    expect(result.facts.vfr).toBe(true)
    const log = await readFile(path.join(out, 'logs/ffmpeg.log'), 'utf8')
    expect(log).toMatch(/\[0:v:0\]fps=(24000\/1001|30000\/1001|25|30),/)
    expectCommonLayout(out, result)
    await expectPlayable(out, result.facts.durationMs)
  })
})
