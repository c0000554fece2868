import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '@/tests/fixtures/media'
import { loadStreamingConfig, processContent } from '@/lib/pipeline'

// Real FFmpeg: an HDR (PQ or HLG) source must come out of the ladder as SDR BT.709 with its mid-tones where
// they were, not grey and dim like a plain bit-depth conversion of the PQ code values.

const run = promisify(execFile)
const config = loadStreamingConfig('config/streaming.yaml')
const GREY = '0x808080'
// Luma steps a viewer would not notice on a flat patch; the plain conversion is ~30 steps off.
const TOLERANCE = 6
let dir: string

beforeAll(async () => {
  dir = await makeTempDir('pipeline-hdr-')
})
afterAll(async () => {
  await removeDir(dir)
})

/** Mean 8-bit luma of the centre of the first frames of `input`, after `filters`. */
async function centreLuma(input: string, filters: string[] = []): Promise<number> {
  const chain = [...filters, 'crop=iw/2:ih/2', 'signalstats', 'metadata=print:key=lavfi.signalstats.YAVG:file=-'].join(',')
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', input, '-vf', chain, '-frames:v', '5', '-f', 'null', '-'])
  const values = [...stdout.matchAll(/YAVG=([\d.]+)/g)].map((m) => Number(m[1]))
  expect(values.length).toBeGreaterThan(0)
  return values.reduce((a, b) => a + b, 0) / values.length
}

async function streamInfo(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=pix_fmt,color_transfer,color_primaries,color_space',
    '-of',
    'json',
    file,
  ])
  return JSON.parse(stdout).streams[0]
}

/** A mid-grey clip, as SDR 8-bit and as the same picture in HDR: 10-bit HEVC, BT.2020, PQ or HLG (SDR white at 100 nits). */
async function greyClips(transfer: string): Promise<{ sdr: string; hdr: string }> {
  const source = ['-f', 'lavfi', '-i', `color=c=${GREY}:size=640x360:rate=30:duration=3`]
  const sdr = path.join(dir, 'grey-sdr.mp4')
  const hdr = path.join(dir, `grey-${transfer}.mp4`)
  await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...source, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', sdr])
  await run('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    ...source,
    '-vf',
    `zscale=tin=bt709:pin=bt709:min=bt709:t=${transfer}:p=bt2020:m=bt2020nc:r=tv:npl=100,format=yuv420p10le`,
    '-c:v',
    'libx265',
    '-x265-params',
    'log-level=error',
    '-color_primaries',
    'bt2020',
    '-color_trc',
    transfer,
    '-colorspace',
    'bt2020nc',
    hdr,
  ])
  return { sdr, hdr }
}

describe('HDR sources', () => {
  it.each(['smpte2084', 'arib-std-b67'])(
    'tone-maps a %s source to 8-bit BT.709 and keeps a mid-grey patch mid-grey',
    async (transfer) => {
      const { sdr, hdr } = await greyClips(transfer)
      expect(await streamInfo(hdr)).toMatchObject({ pix_fmt: 'yuv420p10le', color_transfer: transfer, color_primaries: 'bt2020' })
      const out = path.join(dir, `${transfer}.out`)
      const result = await processContent({ inputPath: hdr, outDir: out, config })
      expect(result.facts.color).toMatchObject({ transfer, primaries: 'bt2020', bitDepth: 10 })

      const expected = await centreLuma(sdr)
      const videos = result.renditions.filter((r) => r.kind === 'video')
      expect(videos.length).toBeGreaterThan(0)
      for (const r of videos) {
        const playlist = path.join(out, r.playlist)
        expect(await streamInfo(playlist), r.name).toMatchObject({
          pix_fmt: 'yuv420p',
          color_transfer: 'bt709',
          color_primaries: 'bt709',
          color_space: 'bt709',
        })
        expect(Math.abs((await centreLuma(playlist)) - expected), `${r.name} luma vs the SDR original`).toBeLessThanOrEqual(TOLERANCE)
      }

      // The poster is taken from the source: it is tone-mapped too (JPEG is full range, hence the rescale).
      const poster = await centreLuma(path.join(out, 'thumbs/poster.jpg'))
      expect(Math.abs(16 + (poster * 219) / 255 - expected), 'poster luma').toBeLessThanOrEqual(TOLERANCE)

      // The check has teeth: reading the HDR code values as SDR (a plain 8-bit conversion) fails it.
      const plain = await centreLuma(hdr, ['format=yuv420p'])
      expect(Math.abs(plain - expected)).toBeGreaterThan(TOLERANCE)
    },
    240_000,
  )
})
