/**
 * Cost of a second audio language: the ladder encode of a source with two audio streams vs the same
 * source with one, same run.
 *
 *   npx tsx bench/pipeline/audio.ts [--rounds 2] [--seconds 30] [--preset superfast]
 *
 * Both sources share the same 1080p30 H.264 video bytes (the audio is muxed next to a copy of it), so
 * they decode the same and the difference is the second AAC encode and its packaging. Ladder:
 * 1080/720/480 from config/streaming.yaml. Runs alternate so machine drift hits both; medians are
 * reported, with CPU seconds (steadier than wall time on a shared machine). Goal: ≤ 5 % slower.
 * The cost of tone mapping is measured the same way by bench/pipeline/tonemap.ts.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { loadStreamingConfig, type StreamingConfig } from '@/lib/config/streaming'
import { runTranscode } from '@/lib/pipeline/encode'
import { probeMedia } from '@/lib/pipeline/probe'

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '30' },
    preset: { type: 'string' },
  },
})
const seconds = Number(opt.seconds)
const run = promisify(execFile)
const dir = path.join(os.tmpdir(), 'reelhouse-bench')

/** CPU seconds of this process plus its reaped children (FFmpeg), from Linux /proc. */
function childCpuS(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  const self = process.cpuUsage()
  return (Number(fields[13]) + Number(fields[14])) / 100 + (self.user + self.system) / 1e6
}

type Kind = 'one' | 'two'
const LANGUAGES: Record<Kind, string[]> = { one: ['eng'], two: ['eng', 'fra'] }

const ffmpeg = (args: string[]) => run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 })

async function sources(): Promise<Record<Kind, string>> {
  await mkdir(dir, { recursive: true })
  const video = path.join(dir, `audio-video-1080p30-${seconds}s.mp4`)
  const files = { one: path.join(dir, `audio-1lang-${seconds}s.mp4`), two: path.join(dir, `audio-2lang-${seconds}s.mp4`) }
  if (existsSync(files.one) && existsSync(files.two)) return files
  process.stdout.write(`generating ${seconds} s 1080p30 sources with one and two languages… `)
  // CABAC High profile at a phone-like bitrate, so decoding costs what a real upload costs.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'superfast',
    '-crf',
    '21',
    '-pix_fmt',
    'yuv420p',
    video,
  ])
  for (const kind of ['one', 'two'] as Kind[]) {
    const langs = LANGUAGES[kind]
    const args = ['-i', video]
    langs.forEach((_, i) => {
      args.push('-f', 'lavfi', '-i', `sine=frequency=${440 + 220 * i}:sample_rate=48000:duration=${seconds}`)
    })
    args.push('-map', '0:v')
    langs.forEach((lang, i) => {
      args.push('-map', `${i + 1}:a`, `-metadata:s:a:${i}`, `language=${lang}`)
    })
    await ffmpeg([...args, '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', files[kind]])
  }
  await rm(video, { force: true })
  console.log('done')
  return files
}

interface Sample {
  kind: Kind
  speed: number
  cpuS: number
}

async function encode(kind: Kind, input: string, config: StreamingConfig): Promise<Sample> {
  const probe = await probeMedia(input, { limits: config.limits })
  if (probe.audioStreams.length !== LANGUAGES[kind].length) throw new Error(`${kind}: probed ${probe.audioStreams.length} audio streams`)
  const outDir = path.join(dir, `audio-${kind}`)
  await rm(outDir, { recursive: true, force: true })
  const cpu0 = childCpuS()
  const t0 = performance.now()
  const result = await runTranscode({ inputPath: input, outDir, probe, config })
  const wallS = (performance.now() - t0) / 1000
  const cpuS = childCpuS() - cpu0
  const audio = result.plan.renditions.filter((r) => r.kind === 'audio').length
  if (audio !== LANGUAGES[kind].length) throw new Error(`${kind}: ${audio} audio renditions`)
  await rm(outDir, { recursive: true, force: true })
  return { kind, speed: probe.durationMs / 1000 / wallS, cpuS }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main() {
  const base = loadStreamingConfig()
  const config: StreamingConfig = {
    ...base,
    profiles: base.profiles.filter((p) => p.height >= 480),
    encoder: { ...base.encoder, preset: opt.preset ?? base.encoder.preset },
  }
  const inputs = await sources()
  console.log(`machine ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at start; preset ${config.encoder.preset}`)
  console.log('round  source     speed     cpu')
  const samples: Sample[] = []
  for (let round = 1; round <= Number(opt.rounds); round++) {
    for (const kind of (round % 2 ? ['one', 'two'] : ['two', 'one']) as Kind[]) {
      const s = await encode(kind, inputs[kind], config)
      samples.push(s)
      console.log(`${String(round).padEnd(6)} ${`${LANGUAGES[kind].length} lang`.padEnd(10)} ${s.speed.toFixed(2)}×  ${s.cpuS.toFixed(1)} s`)
    }
  }
  const of = (k: Kind, f: (s: Sample) => number) => median(samples.filter((s) => s.kind === k).map(f))
  const [speed1, speed2, cpu1, cpu2] = [of('one', (s) => s.speed), of('two', (s) => s.speed), of('one', (s) => s.cpuS), of('two', (s) => s.cpuS)]
  console.log(`\nmedian  1 language  ${speed1.toFixed(2)}× realtime, ${(cpu1 / seconds).toFixed(3)} CPU-s per media second`)
  console.log(`        2 languages ${speed2.toFixed(2)}× realtime, ${(cpu2 / seconds).toFixed(3)} CPU-s per media second`)
  console.log(
    `        2/1: speed ${(speed2 / speed1).toFixed(3)} (${((1 - speed2 / speed1) * 100).toFixed(1)} % slower), CPU ${(cpu2 / cpu1).toFixed(3)} (goal: ≤ 5 % slower)`,
  )
  console.log(`        load average ${os.loadavg()[0].toFixed(2)} at end`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
