/**
 * Ladder encode speed of the pipeline vs bare FFmpeg with the same arguments, in the same run.
 *
 *   npx tsx bench/pipeline/run.ts [--rounds 2] [--preset veryfast] [--full] [--flat] [--seconds 60]
 *
 * Source: a generated 60 s 1080p30 clip with audio (cached in the temp dir). Ladder: 1080/720/480 + AAC
 * from config/streaming.yaml (--full: every configured rung; --flat: no short start-up segments).
 * Runs alternate bare/pipeline so drift on a shared machine hits both; medians are reported. "first ABR" = from spawn to the first segment of
 * every rendition being ready (pipeline: listed in its playlist, i.e. playable).
 * Targets: ≥ 1.4× realtime, pipeline/bare ≥ 0.95, first ABR segment ≤ 3 s.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { loadStreamingConfig, type StreamingConfig } from '@/lib/config/streaming'
import { runTranscode, planTranscode } from '@/lib/pipeline/encode'
import { buildTranscodeArgs } from '@/lib/pipeline/ffmpeg-args'
import { probeMedia } from '@/lib/pipeline/probe'
import { runTool, TOOLS } from '@/lib/pipeline/process'

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    preset: { type: 'string' },
    full: { type: 'boolean', default: false },
    flat: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
  },
})
const seconds = Number(opt.seconds)
const run = promisify(execFile)

/**
 * CPU seconds of this process plus its reaped children (FFmpeg), from Linux /proc: steadier than wall
 * time on a shared machine, and it counts the pipeline's own overhead (polling, parsing) too.
 */
function childCpuS(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    const self = process.cpuUsage()
    return (Number(fields[13]) + Number(fields[14])) / 100 + (self.user + self.system) / 1e6
  } catch {
    return null
  }
}

async function sourceClip(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'reelhouse-bench')
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `src-1080p30-${seconds}s.mp4`)
  if (existsSync(file)) return file
  process.stdout.write(`generating ${seconds} s 1080p30 source… `)
  // CABAC High profile at a phone-like bitrate, so decoding costs what a real upload costs.
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
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'superfast',
    '-crf',
    '21',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    `${file}.tmp.mp4`,
  ])
  await run('mv', [`${file}.tmp.mp4`, file])
  console.log('done')
  return file
}

interface Sample {
  kind: 'bare' | 'pipeline'
  wallS: number
  speed: number
  firstS: number | null
  cpuS: number | null
}

async function bare(input: string, outDir: string, config: StreamingConfig, probe: Awaited<ReturnType<typeof probeMedia>>): Promise<Sample> {
  const plan = planTranscode(probe, config)
  await rm(outDir, { recursive: true, force: true })
  for (const r of plan.renditions) await mkdir(path.join(outDir, r.dir), { recursive: true })
  const args = buildTranscodeArgs({ inputPath: input, outDir, facts: probe, plan: plan.ladder, config })
  const cpu0 = childCpuS()
  const t0 = performance.now()
  let firstS: number | null = null
  const timer = setInterval(() => {
    if (firstS === null && plan.renditions.every((r) => existsSync(path.join(outDir, r.dir, 'seg-00001.m4s')))) firstS = (performance.now() - t0) / 1000
  }, 50)
  const res = await runTool(TOOLS.ffmpeg, args)
  clearInterval(timer)
  if (res.code !== 0) throw new Error(`bare ffmpeg failed: ${res.stderrTail.slice(-500)}`)
  const wallS = (performance.now() - t0) / 1000
  const cpu1 = childCpuS()
  return { kind: 'bare', wallS, speed: probe.durationMs / 1000 / wallS, firstS, cpuS: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null }
}

async function pipeline(input: string, outDir: string, config: StreamingConfig, probe: Awaited<ReturnType<typeof probeMedia>>): Promise<Sample> {
  await rm(outDir, { recursive: true, force: true })
  const cpu0 = childCpuS()
  const t0 = performance.now()
  const res = await runTranscode({ inputPath: input, outDir, probe, config, pollMs: 50 })
  const wallS = (performance.now() - t0) / 1000
  const cpu1 = childCpuS()
  return {
    kind: 'pipeline',
    wallS,
    speed: probe.durationMs / 1000 / wallS,
    firstS: res.firstPlayableMs === null ? null : res.firstPlayableMs / 1000,
    cpuS: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const fmt = (n: number | null, d = 2) => (n === null ? '–' : n.toFixed(d))

async function main() {
  const base = loadStreamingConfig()
  const config: StreamingConfig = {
    ...base,
    profiles: opt.full ? base.profiles : base.profiles.filter((p) => p.height >= 480),
    encoder: { ...base.encoder, preset: opt.preset ?? base.encoder.preset },
    startupSegments: opt.flat ? [] : base.startupSegments,
  }
  const input = await sourceClip()
  const probe = await probeMedia(input, { limits: config.limits })
  const plan = planTranscode(probe, config)
  const work = path.join(os.tmpdir(), 'reelhouse-bench', 'out')
  const load = os.loadavg()[0]
  console.log(
    `source  ${(probe.durationMs / 1000).toFixed(1)} s ${probe.width}x${probe.height} ${probe.fps} fps ${probe.videoCodec}+${probe.audioCodec}, ${(await stat(input)).size >> 20} MB`,
  )
  console.log(`ladder  ${plan.renditions.map((r) => (r.kind === 'video' ? `${r.name} ${r.width}x${r.height}` : 'audio')).join(', ')}`)
  console.log(
    `encoder preset ${config.encoder.preset}, threads ${config.encoder.threads || 'auto'}; segments ${[...config.startupSegments, config.segmentDuration].join(', ')} s…`,
  )
  console.log(`machine ${os.cpus().length} cores, load average ${load.toFixed(2)} at start`)
  console.log('\nround  kind      wall     speed   first ABR  cpu')

  const samples: Sample[] = []
  for (let round = 1; round <= Number(opt.rounds); round++) {
    // Alternate which goes first so machine drift does not favour one side.
    const order = round % 2 ? [bare, pipeline] : [pipeline, bare]
    for (const fn of order) {
      const s = await fn(input, path.join(work, fn.name), config, probe)
      samples.push(s)
      console.log(
        `${String(round).padEnd(6)} ${s.kind.padEnd(9)} ${fmt(s.wallS, 1).padStart(5)} s  ${fmt(s.speed)}×  ${fmt(s.firstS, 2).padStart(6)} s   ${fmt(s.cpuS, 1)} s`,
      )
    }
  }
  await rm(work, { recursive: true, force: true })

  const of = (k: Sample['kind']) => samples.filter((s) => s.kind === k)
  const speedP = median(of('pipeline').map((s) => s.speed))
  const speedB = median(of('bare').map((s) => s.speed))
  const firstP = median(of('pipeline').map((s) => s.firstS ?? Number.POSITIVE_INFINITY))
  const cpuP = of('pipeline').map((s) => s.cpuS)
  const cpuB = of('bare').map((s) => s.cpuS)
  const cpuPerMediaS = cpuP.every((c) => c !== null) ? median(cpuP as number[]) / (probe.durationMs / 1000) : null
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED')
  console.log(`\nmedian  pipeline ${fmt(speedP)}× realtime (target ≥ 1.40: ${ok(speedP >= 1.4)})`)
  console.log(`        bare     ${fmt(speedB)}× realtime`)
  console.log(`        ratio    ${fmt(speedP / speedB, 3)} pipeline/bare (target ≥ 0.95: ${ok(speedP / speedB >= 0.95)})`)
  console.log(`        first ABR segment ${fmt(firstP)} s (target ≤ 3: ${ok(firstP <= 3)})`)
  if (cpuP.every((c) => c !== null) && cpuB.every((c) => c !== null))
    console.log(
      `        cpu ratio ${fmt(median(cpuB as number[]) / median(cpuP as number[]), 3)} bare/pipeline CPU-s (1.0 = no overhead; steadier than wall on a busy machine)`,
    )
  if (cpuPerMediaS !== null)
    console.log(
      `        cpu      ${fmt(cpuPerMediaS)} CPU-s per media second (2 cores at full use = ${fmt(os.cpus().length / cpuPerMediaS)}× realtime ceiling)`,
    )
  console.log(`        load average ${os.loadavg()[0].toFixed(2)} at end`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
