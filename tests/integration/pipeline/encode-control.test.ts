import { execFileSync } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeClip, makeTempDir, removeDir } from '@/tests/fixtures/media'
import { loadStreamingConfig, PipelineError, probeMedia, runTranscode, type SegmentReady, validateOutput } from '@/lib/pipeline'
import { parseHlsMediaPlaylist } from '@/lib/pipeline/manifests'
import type { ProbeFacts } from '@/lib/pipeline/probe'
import { decodeAll } from './helpers'

// Cancel, hang, retry after a crash, fallback and playback before the end, on real FFmpeg runs.

const config = loadStreamingConfig('config/streaming.yaml')
let dir: string
let clip: string
let facts: ProbeFacts

beforeAll(async () => {
  dir = await makeTempDir('pipeline-control-')
  clip = await makeClip(dir, { name: 'clip.mp4', seconds: 6, width: 854, height: 480, audio: true, faststart: true })
  facts = await probeMedia(clip, { limits: config.limits })
})
afterAll(async () => {
  await removeDir(dir)
})

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as PipelineError,
  )

describe('runTranscode', () => {
  it('reports progress and every segment, and makes the stream playable before it ends', async () => {
    const out = path.join(dir, 'live.out')
    const segments: SegmentReady[] = []
    const percents: number[] = []
    let seen: { media: string; firstSegment: Buffer; partialDir: string } | undefined
    const result = await runTranscode({
      inputPath: clip,
      outDir: out,
      probe: facts,
      config,
      onProgress: (p) => percents.push(p.percent),
      onSegment: (s) => segments.push(s),
      onPlayable: (p) => {
        // What a player fetches at this moment, read at once (the encode keeps running meanwhile).
        const media = readFileSync(path.join(p.partialDir, 'media_0.m3u8'), 'utf8')
        const pl = parseHlsMediaPlaylist(media)
        const firstSegment = Buffer.concat([readFileSync(path.join(p.partialDir, pl.map!)), readFileSync(path.join(p.partialDir, pl.segments[0].uri))])
        seen = { media, firstSegment, partialDir: p.partialDir }
      },
    })
    expect(result.firstPlayableMs).toBeGreaterThan(0)
    expect(result.firstPlayableMs).toBeLessThan(result.wallMs)
    expect(seen?.partialDir).toBe(path.join(out, '.partial'))

    // While encoding: a growing HLS playlist (no end marker yet) whose first segment decodes.
    const media = parseHlsMediaPlaylist(seen!.media)
    expect(media.ended).toBe(false)
    expect(media.segments.length).toBeGreaterThan(0)
    await writeFile(path.join(dir, 'first.mp4'), seen!.firstSegment)
    const first = await decodeAll(path.join(dir, 'first.mp4'))
    expect(first).toMatchObject({ code: 0, errors: '' })
    expect(first.decodedMs).toBeGreaterThanOrEqual(900)

    // 6 s with the 1-1-2-4 schedule: 4 video segments per rung; AAC runs a few ms past the video, so
    // audio may carry one more tiny tail segment.
    const perRendition = (id: number) => segments.filter((s) => s.representationId === id).length
    expect([perRendition(0), perRendition(1)]).toEqual([4, 4])
    expect(perRendition(2)).toBeGreaterThanOrEqual(4)
    expect(result.segments).toBe(segments.length)
    expect(segments.at(-1)).toMatchObject({ segmentsReady: segments.length, segmentsTotal: segments.length })
    expect(new Set(segments.map((s) => s.path)).size).toBe(segments.length)
    expect(percents.at(-1)).toBe(100)
    expect(percents.slice(0, -1).every((p) => p < 100)).toBe(true)
    expect(existsSync(path.join(out, '.partial'))).toBe(false)
  })

  it('cancels on AbortSignal: FFmpeg stopped, nothing left but the log', async () => {
    const out = path.join(dir, 'cancel.out')
    const ctl = new AbortController()
    const err = await failure(runTranscode({ inputPath: clip, outDir: out, probe: facts, config, signal: ctl.signal, onSegment: () => ctl.abort() }))
    expect(err).toBeInstanceOf(PipelineError)
    expect(err?.kind).toBe('cancelled')
    expect(err?.retryable).toBe(false)
    expect(await readdir(out)).toEqual(['logs'])
    expect(await readFile(path.join(out, 'logs/ffmpeg.log'), 'utf8')).toMatch(/killed \(abort\)/)
  })

  it('kills a hung FFmpeg (input stalls mid-file) after hangTimeoutMs', async () => {
    const fifo = path.join(dir, 'stall.mp4')
    execFileSync('mkfifo', [fifo])
    const writer = createWriteStream(fifo)
    writer.on('error', () => {}) // EPIPE once FFmpeg is killed
    // Index and the first part of the media, then silence with the pipe held open.
    writer.write((await readFile(clip)).subarray(0, 300_000))
    const out = path.join(dir, 'hung.out')
    const started = Date.now()
    try {
      const err = await failure(runTranscode({ inputPath: fifo, outDir: out, probe: facts, config, hangTimeoutMs: 1500 }))
      expect(err?.kind).toBe('hung')
      expect(err?.retryable).toBe(true)
      expect(Date.now() - started).toBeLessThan(15_000)
      expect(await readdir(out)).toEqual(['logs'])
    } finally {
      writer.destroy()
    }
  })

  it('starts clean after a crashed attempt and leaves files it does not own alone', async () => {
    const out = path.join(dir, 'retry.out')
    await mkdir(path.join(out, '.partial/streams/0'), { recursive: true })
    await writeFile(path.join(out, '.partial/streams/0/seg-00001.m4s'), 'stale')
    await mkdir(path.join(out, 'streams/7'), { recursive: true })
    await writeFile(path.join(out, 'streams/7/seg-00001.m4s'), 'stale')
    await writeFile(path.join(out, 'media_7.m3u8'), 'stale')
    await writeFile(path.join(out, 'manifest.mpd'), 'stale')
    await writeFile(path.join(out, 'original'), 'the upload')
    await writeFile(path.join(out, 'meta.json'), '{}')

    await runTranscode({ inputPath: clip, outDir: out, probe: facts, config })
    expect((await readdir(out)).sort()).toEqual([
      'logs',
      'manifest.mpd',
      'master.m3u8',
      'media_0.m3u8',
      'media_1.m3u8',
      'media_2.m3u8',
      'meta.json',
      'original',
      'streams',
    ])
    expect((await readdir(path.join(out, 'streams'))).sort()).toEqual(['0', '1', '2'])
    expect(await readFile(path.join(out, 'original'), 'utf8')).toBe('the upload')
    const renditions = await validateOutput({ outDir: out, probe: facts, segmentDuration: config.segmentDuration })
    expect(renditions).toHaveLength(3)
  })

  it('drops the top rung in fallback mode', async () => {
    const out = path.join(dir, 'fallback.out')
    const result = await runTranscode({ inputPath: clip, outDir: out, probe: facts, config, fallback: true })
    expect(result.plan.renditions.map((r) => r.name)).toEqual(['360p', 'audio'])
    expect((await decodeAll(path.join(out, 'master.m3u8'))).code).toBe(0)
  })

  it('validation catches a missing or empty segment', async () => {
    const out = path.join(dir, 'retry.out')
    await writeFile(path.join(out, 'streams/1/seg-00002.m4s'), '')
    const err = await failure(validateOutput({ outDir: out, probe: facts, segmentDuration: config.segmentDuration }))
    expect(err?.kind).toBe('invalid_output')
    expect(err?.message).toContain('streams/1/seg-00002.m4s is empty')
  })

  it('validation catches a segment that does not decode', async () => {
    const out = path.join(dir, 'fallback.out')
    const last = path.join(out, 'streams/0/seg-00004.m4s')
    const bytes = await readFile(last)
    await writeFile(last, Buffer.concat([bytes.subarray(0, 200), Buffer.alloc(bytes.length - 200, 0x55)]))
    const err = await failure(validateOutput({ outDir: out, probe: facts, segmentDuration: config.segmentDuration }))
    expect(err?.kind).toBe('invalid_output')
    expect(err?.message).toContain('streams/0/seg-00004.m4s does not decode')
  })
})
