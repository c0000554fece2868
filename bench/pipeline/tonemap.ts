/**
 * Cost of tone mapping: the ladder encode of an HDR10 (PQ) clip vs the same clip as 10-bit SDR, same run.
 *
 *   npx tsx bench/pipeline/tonemap.ts [--rounds 2] [--seconds 10] [--preset veryfast]
 *
 * Both sources are 1080p30 10-bit HEVC made from the same generated picture (one tagged BT.709 SDR, one
 * converted to BT.2020/PQ), so decoding costs the same and the difference is the tone-mapping chain.
 * Ladder: 1080/720/480 from config/streaming.yaml. Runs alternate so machine drift hits both; medians
 * are reported, with CPU seconds (steadier than wall time on a shared machine).
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { loadStreamingConfig, type StreamingConfig } from '@/lib/config/streaming'
import { colorHandling } from '@/lib/pipeline/color'
import { runTranscode } from '@/lib/pipeline/encode'
import { probeMedia } from '@/lib/pipeline/probe'

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
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

const SOURCES = {
  sdr: { vf: 'format=yuv420p10le', tags: ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] },
  pq: {
    vf: 'zscale=tin=bt709:pin=bt709:min=bt709:t=smpte2084:p=bt2020:m=bt2020nc:r=tv:npl=100,format=yuv420p10le',
    tags: ['-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc'],
  },
} as const
type Kind = keyof typeof SOURCES

async function sourceClip(kind: Kind): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `src-1080p30-${seconds}s-hevc10-${kind}.mp4`)
  if (existsSync(file)) return file
  process.stdout.write(`generating ${seconds} s 1080p30 ${kind} source… `)
  await run('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=30:duration=${seconds}`,
    '-vf',
    SOURCES[kind].vf,
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    ...SOURCES[kind].tags,
    `${file}.tmp.mp4`,
  ])
  await run('mv', [`${file}.tmp.mp4`, file])
  console.log('done')
  return file
}

interface Sample {
  kind: Kind
  speed: number
  cpuS: number
}

async function encode(kind: Kind, input: string, config: StreamingConfig): Promise<Sample> {
  const probe = await probeMedia(input, { limits: config.limits })
  const expected = kind === 'pq' ? 'tonemap' : 'none'
  if (colorHandling(probe.color) !== expected) throw new Error(`${kind} source probed as ${colorHandling(probe.color)}`)
  const outDir = path.join(dir, `tonemap-${kind}`)
  await rm(outDir, { recursive: true, force: true })
  const cpu0 = childCpuS()
  const t0 = performance.now()
  await runTranscode({ inputPath: input, outDir, probe, config })
  const wallS = (performance.now() - t0) / 1000
  const cpuS = childCpuS() - cpu0
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
  const inputs = { sdr: await sourceClip('sdr'), pq: await sourceClip('pq') }
  console.log(`machine ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at start; preset ${config.encoder.preset}`)
  console.log('round  source  speed     cpu')
  const samples: Sample[] = []
  for (let round = 1; round <= Number(opt.rounds); round++) {
    for (const kind of (round % 2 ? ['sdr', 'pq'] : ['pq', 'sdr']) as Kind[]) {
      const s = await encode(kind, inputs[kind], config)
      samples.push(s)
      console.log(`${String(round).padEnd(6)} ${kind.padEnd(7)} ${s.speed.toFixed(2)}×  ${s.cpuS.toFixed(1)} s`)
    }
  }
  const of = (k: Kind, f: (s: Sample) => number) => median(samples.filter((s) => s.kind === k).map(f))
  const [speedS, speedP, cpuS, cpuP] = [of('sdr', (s) => s.speed), of('pq', (s) => s.speed), of('sdr', (s) => s.cpuS), of('pq', (s) => s.cpuS)]
  console.log(`\nmedian  SDR ${speedS.toFixed(2)}× realtime, ${(cpuS / seconds).toFixed(2)} CPU-s per media second`)
  console.log(`        PQ  ${speedP.toFixed(2)}× realtime, ${(cpuP / seconds).toFixed(2)} CPU-s per media second`)
  console.log(`        speed ratio PQ/SDR ${(speedP / speedS).toFixed(3)}; CPU ratio PQ/SDR ${(cpuP / cpuS).toFixed(3)}`)
  console.log(`        load average ${os.loadavg()[0].toFixed(2)} at end`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
