import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type HostileFixtures, makeHostileFixtures, makeTempDir, removeDir } from '@/tests/fixtures/media'
import { loadStreamingConfig, MediaRejected, PipelineError, processContent, runTranscode } from '@/lib/pipeline'
import type { ProbeFacts } from '@/lib/pipeline/probe'
import { allFiles, filesContaining, signatureOf } from './helpers'

// Uploads that try to make FFmpeg read other files. Each must be refused with a reason, and nothing
// from /etc/passwd or from the other video may show up anywhere under the output directory.

const config = loadStreamingConfig('config/streaming.yaml')
let dir: string
let fx: HostileFixtures
let needles: Buffer[]

beforeAll(async () => {
  dir = await makeTempDir('pipeline-hostile-')
  fx = await makeHostileFixtures(dir)
  const passwd = (await readFile('/etc/passwd', 'utf8').catch(() => 'root:x:0:0:')).split('\n')[0]
  needles = [Buffer.from(passwd), Buffer.from('root:x:0:0'), await signatureOf(fx.victim)]
})
afterAll(async () => {
  await removeDir(dir)
})

async function rejected(input: string, name: string): Promise<{ err: MediaRejected; out: string }> {
  const out = path.join(dir, `${name}.out`)
  await mkdir(out, { recursive: true })
  const err = await processContent({ inputPath: input, outDir: out, config }).then(
    () => null,
    (e: unknown) => e,
  )
  expect(err, `${name} must be refused`).toBeInstanceOf(MediaRejected)
  return { err: err as MediaRejected, out }
}

describe('hostile uploads are refused with a reason', () => {
  it.each([
    ['hlsPasswd', 'references_other_files', /HLS playlist/],
    ['hlsOtherVideo', 'references_other_files', /HLS playlist/],
    ['concatList', 'references_other_files', /concat list/],
    ['dashManifest', 'references_other_files', /XML manifest/],
    ['zeroBytes', 'empty', /empty/],
    ['truncatedMp4', 'unreadable', /could not be read as mov/],
    ['randomBytes', 'not_media', /not a recognised video/],
    ['externalRefMov', 'references_other_files', /other files/],
    ['truncatedFaststart', 'truncated', /incomplete/],
  ] as const)('%s → %s', async (key, reason, message) => {
    const { err, out } = await rejected(fx[key], key)
    expect(err.reason).toBe(reason)
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.message).toMatch(message)
    // No path of ours leaks into the user-facing reason.
    expect(err.message).not.toContain(dir)
    expect((await allFiles(out)).filter((f) => !f.endsWith('ffmpeg.log'))).toEqual([])
    expect(await filesContaining(out, needles)).toEqual([])
  })
})

describe('the encoder is hardened even if the probe were fooled', () => {
  const forged = (container: ProbeFacts['container']): ProbeFacts => ({
    container,
    durationMs: 2000,
    width: 320,
    height: 180,
    codedWidth: 320,
    codedHeight: 180,
    rotation: 0,
    fps: 30,
    vfr: false,
    videoCodec: 'h264',
    pixFmt: 'yuv420p',
    color: { transfer: null, primaries: null, matrix: null, range: null, bitDepth: 8 },
    hasAudio: false,
    audioStreams: [],
    audioCodec: null,
    audioChannels: 0,
    audioSampleRate: 0,
    bitrate: 1,
    sizeBytes: 1,
    streams: 1,
  })

  it.each([
    ['hlsPasswd', 'mov'],
    ['hlsOtherVideo', 'mpegts'],
    ['concatList', 'matroska'],
    ['externalRefMov', 'mov'],
  ] as const)('%s read as %s fails without reading anything else', async (key, container) => {
    const out = path.join(dir, `${key}-forced.out`)
    const err = await runTranscode({ inputPath: fx[key], outDir: out, probe: forged(container), config, hangTimeoutMs: 20_000 }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(PipelineError)
    expect((err as PipelineError).kind).toBe('ffmpeg')
    // Only the log is left, and neither it nor anything else holds the other files' bytes.
    expect((await allFiles(out)).map((f) => path.relative(out, f))).toEqual(['logs/ffmpeg.log'])
    expect(await filesContaining(out, needles)).toEqual([])
  })
})
