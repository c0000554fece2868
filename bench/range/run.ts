import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { finished } from 'node:stream/promises'
import { randomFillSync } from 'node:crypto'
import { contentDir } from '@/lib/content/paths'
import { READ_PIECE_BYTES } from '@/lib/streaming/pipe'
import { median, percentile, throttledRanges, ttfbSamples, wrkMiBps } from './clients'
import { pausedViewers } from './paused'
import { ensureTools, type OurServer, type Running, rssBytes, startNginx, startOurServer } from './processes'

// Range delivery measured against nginx on loopback: throughput, memory under many slow viewers,
// time to first byte, and the read piece size. Run with `npx tsx bench/range/run.ts [section ...]`
// (sections: pieces, throughput, memory, paused, latency; all when none is named).
const GiB = 1024 ** 3
const MiB = 1024 ** 2
const KiB = 1024
const THROUGHPUT_HASH = 'a1'.repeat(32)
const MEMORY_HASH = 'b2'.repeat(32)
const THROUGHPUT_FILE = 1 * GiB
const MEMORY_FILE = 2 * GiB
const CLIENTS = 16
const VIEWERS = 200
const VIEWER_RATE = 256 * KiB
const VIEWER_RANGE = 2 * MiB
const PIECE_SIZES = [64 * KiB, 128 * KiB, 256 * KiB, 1 * MiB]
const ROUNDS = 5
const ROUND_SECONDS = 5
const TTFB_SAMPLES = 200
const PAUSED_VIEWERS = 200
const PAUSED_RANGE = 5 * MiB
const PAUSED_PLAY_MS = 5000
const PAUSED_PAUSE_MS = 10_000
const WATCHDOG_MS = 14 * 60_000
// Which servers the paused and throughput sections run (a diagnosis run may set BENCH_SERVERS=ours):
// ours with the web process's V8 flags, ours with V8's defaults (what those flags cost or save), nginx.
const SERVERS = ['ours', 'ours-v8-default', 'nginx'] as const
type ServerKind = (typeof SERVERS)[number]
const BENCH_SERVERS = (process.env.BENCH_SERVERS ?? SERVERS.join(',')).split(',') as ServerKind[]
for (const s of BENCH_SERVERS) if (!(SERVERS as readonly string[]).includes(s)) throw new Error(`unknown server ${s}; servers: ${SERVERS.join(', ')}`)
const SECTIONS = ['pieces', 'throughput', 'memory', 'paused', 'latency'] as const
type Section = (typeof SECTIONS)[number]
const named = process.argv.slice(2)
for (const name of named) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section ${name}; sections: ${SECTIONS.join(', ')}`)
const wanted = (section: Section): boolean => named.length === 0 || named.includes(section)

const running = new Set<Running>()
let workDir: string | undefined

async function cleanup(): Promise<void> {
  await Promise.allSettled([...running].map((r) => r.stop()))
  running.clear()
  if (workDir) await rm(workDir, { recursive: true, force: true })
}

function track<T extends Running>(r: T): T {
  running.add(r)
  const stop = r.stop
  r.stop = async () => {
    running.delete(r)
    await stop()
  }
  return r
}

async function writeFixture(file: string, size: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const out = createWriteStream(file)
  const block = randomFillSync(Buffer.allocUnsafe(MiB))
  for (let written = 0; written < size; written += block.length) {
    block.writeUInt32LE(written / MiB, 0) // no two blocks alike
    if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  out.end()
  await finished(out)
}

const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(7)
const mib = (bytes: number) => fmt(bytes / MiB, 1)
const kib = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`)
const ourPath = (hash: string) => `/api/v1/content/${hash}/original`
const nginxPath = (hash: string) => `/content/${hash.slice(0, 2)}/${hash}/original`

async function memoryUnderViewers(pieceSize: number, dataDir: string, seconds: number) {
  const server = track(await startOurServer(dataDir, pieceSize))
  await ttfbSamples(server.port, ourPath(MEMORY_HASH), 'bytes=0-1048575', 5) // warm up the code paths
  await new Promise((r) => setTimeout(r, 1000))
  const before = await rssBytes(server.pid)
  let peak = before
  const sampler = setInterval(async () => {
    peak = Math.max(peak, await rssBytes(server.pid).catch(() => 0))
  }, 200)
  const load = await throttledRanges({
    port: server.port,
    path: ourPath(MEMORY_HASH),
    fileSize: MEMORY_FILE,
    clients: VIEWERS,
    bytesPerSecond: VIEWER_RATE,
    rangeBytes: VIEWER_RANGE,
    durationMs: seconds * 1000,
  })
  clearInterval(sampler)
  const { outcomes } = await server.stats()
  await server.stop()
  return { before, peak, load, outcomes }
}

/** TTFB of a 1 MiB seek while `CLIENTS` wrk clients stream the 1 GiB file from the same server. */
async function underLoad(port: number, filePath: string, range: string, samples: number) {
  const background = wrkMiBps(`http://127.0.0.1:${port}${filePath}`, CLIENTS, ROUND_SECONDS)
  await new Promise((r) => setTimeout(r, 1000))
  const ttfb = await ttfbSamples(port, filePath, range, samples)
  return { rate: await background, ttfb }
}

async function main(): Promise<void> {
  await ensureTools()
  workDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-range-bench-'))
  const dataDir = path.join(workDir, 'data')
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')
  console.log(`range bench: node ${process.version}, ${os.cpus().length} cores, load average ${load()}`)
  let t = Date.now()
  await writeFixture(path.join(contentDir(THROUGHPUT_HASH, dataDir), 'original'), THROUGHPUT_FILE)
  const needsMemoryFile = wanted('pieces') || wanted('memory')
  if (needsMemoryFile) await writeFixture(path.join(contentDir(MEMORY_HASH, dataDir), 'original'), MEMORY_FILE)
  console.log(`fixtures: 1 GiB${needsMemoryFile ? ' and 2 GiB' : ''} written in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  const mid = THROUGHPUT_FILE / 2 + 12345
  const seek = `bytes=${mid}-${mid + MiB - 1}`
  if (wanted('pieces')) await pieceSizes(dataDir, seek)
  if (wanted('throughput') || wanted('latency')) await throughputAndLatency(dataDir, seek)
  if (wanted('memory')) await memory(dataDir)
  if (wanted('paused')) await paused(dataDir)
  t = Date.now()
  await cleanup()
  console.log(`\ncleaned up in ${((Date.now() - t) / 1000).toFixed(1)} s; load average now ${load()}`)
}

async function pieceSizes(dataDir: string, seek: string): Promise<void> {
  console.log(`\n[piece size] ${CLIENTS} clients GET 1 GiB for ${ROUND_SECONDS} s (with a 1 MiB seek TTFB and event-loop delay meanwhile);`)
  console.log(`             then ${VIEWERS} viewers at ${VIEWER_RATE / KiB} KiB/s for 12 s (server RSS)`)
  console.log('piece      MiB/s  TTFB p50/p99 ms  loop p99 ms  RSS growth  viewer errors  server outcomes')
  for (const pieceSize of PIECE_SIZES) {
    const server = track(await startOurServer(dataDir, pieceSize))
    await server.stats()
    const loaded = await underLoad(server.port, ourPath(THROUGHPUT_HASH), seek, 100)
    const { loop } = await server.stats()
    await server.stop()
    const m = await memoryUnderViewers(pieceSize, dataDir, 12)
    const ttfb = `${percentile(loaded.ttfb, 50).toFixed(1)}/${percentile(loaded.ttfb, 99).toFixed(1)}`
    console.log(
      `${kib(pieceSize).padEnd(8)} ${fmt(loaded.rate)}  ${ttfb.padStart(15)}  ${fmt(loop.p99, 1).padStart(11)}  ${mib(m.peak - m.before)} MiB  ${String(m.load.errors).padStart(13)}  ${JSON.stringify(m.outcomes)}`,
    )
  }
}

/** One server of `kind` on the fixtures, and the URL path of the 1 GiB file on it. */
async function startKind(kind: ServerKind, dataDir: string): Promise<{ server: Running | OurServer; filePath: string }> {
  if (!workDir) throw new Error('no work directory')
  if (kind === 'nginx') return { server: track(await startNginx(dataDir, workDir)), filePath: nginxPath(THROUGHPUT_HASH) }
  const server = track(await startOurServer(dataDir, READ_PIECE_BYTES, kind === 'ours' ? undefined : []))
  return { server, filePath: ourPath(THROUGHPUT_HASH) }
}

async function throughputAndLatency(dataDir: string, seek: string): Promise<void> {
  console.log(
    `\n[throughput] ${CLIENTS} concurrent clients, 1 GiB file, ${ROUNDS} rounds of ${ROUND_SECONDS} s in rotating order, piece ${kib(READ_PIECE_BYTES)}`,
  )
  const started = await Promise.all(BENCH_SERVERS.map((kind) => startKind(kind, dataDir)))
  const rates = new Map<ServerKind, number[]>(BENCH_SERVERS.map((kind) => [kind, []]))
  for (let round = 1; round <= ROUNDS; round++) {
    const order = BENCH_SERVERS.map((_, i) => BENCH_SERVERS[(i + round) % BENCH_SERVERS.length])
    for (const kind of order) {
      const { server, filePath } = started[BENCH_SERVERS.indexOf(kind)]
      rates.get(kind)?.push(await wrkMiBps(`http://127.0.0.1:${server.port}${filePath}`, CLIENTS, ROUND_SECONDS))
    }
    console.log(`round ${round}: ${BENCH_SERVERS.map((kind) => `${kind} ${fmt(rates.get(kind)?.at(-1) ?? 0)} MiB/s`).join('   ')}`)
  }
  const medians = BENCH_SERVERS.map((kind) => median(rates.get(kind) ?? []))
  const nginxMedian = rates.has('nginx') ? median(rates.get('nginx') ?? []) : Number.NaN
  console.log(
    `median: ${BENCH_SERVERS.map((kind, i) => `${kind} ${fmt(medians[i])} MiB/s${kind === 'nginx' ? '' : ` (${(medians[i] / nginxMedian).toFixed(2)}x nginx)`}`).join('   ')}   (target ours >= 0.9x)`,
  )
  const ours = started[BENCH_SERVERS.indexOf('ours')]?.server
  const nginx = started[BENCH_SERVERS.indexOf('nginx')]?.server
  if (wanted('latency') && ours && nginx) await latency(ours.port, nginx.port, seek)
  await Promise.all(started.map(({ server }) => server.stop()))
}

async function memory(dataDir: string): Promise<void> {
  console.log(
    `\n[memory] ${VIEWERS} viewers x ${VIEWER_RATE / KiB} KiB/s, random ${VIEWER_RANGE / MiB} MiB ranges of a 2 GiB file, 20 s, piece ${kib(READ_PIECE_BYTES)}`,
  )
  const m = await memoryUnderViewers(READ_PIECE_BYTES, dataDir, 20)
  console.log(`server RSS before ${mib(m.before).trim()} MiB, peak ${mib(m.peak).trim()} MiB, growth ${mib(m.peak - m.before).trim()} MiB (target <= 64 MiB)`)
  console.log(
    `${m.load.requests} requests, ${m.load.completed} completed, ${m.load.errors} errors ${JSON.stringify(m.load.errorCodes)}, ${(m.load.bytes / MiB).toFixed(0)} MiB read; server outcomes ${JSON.stringify(m.outcomes)}`,
  )
  if (m.load.errors > 0 && Object.keys(m.load.errorCodes).every((c) => c === 'ECONNRESET')) {
    console.log(
      'note: the resets are kept-alive sockets reused just as the server closed them: it finished writing a range into\n' +
        "      the kernel seconds before the throttled viewer finished reading it, so Node's 5 s keepAliveTimeout ran out.",
    )
  }
}

async function latency(ourPort: number, nginxPort: number, seek: string): Promise<void> {
  console.log(`\n[latency] time to first body byte of a 1 MiB range, ${TTFB_SAMPLES} sequential requests (ms)`)
  console.log('case                                    ours p50  ours p99  nginx p50  nginx p99')
  for (const loaded of [false, true]) {
    for (const [label, range] of [
      ['bytes=0-1048575', 'bytes=0-1048575'],
      ['seek to the middle', seek],
    ]) {
      const row: number[] = []
      for (const [port, p] of [
        [ourPort, ourPath(THROUGHPUT_HASH)],
        [nginxPort, nginxPath(THROUGHPUT_HASH)],
      ] as const) {
        const samples = loaded ? (await underLoad(port, p, range, TTFB_SAMPLES)).ttfb : await ttfbSamples(port, p, range, TTFB_SAMPLES)
        row.push(percentile(samples, 50), percentile(samples, 99))
      }
      const name = `${label}${loaded ? `, ${CLIENTS} clients streaming` : ', idle'}`
      console.log(`${name.padEnd(38)} ${row.map((v) => fmt(v, 2).padStart(10)).join('')}`)
    }
  }
}

/** Issue-level figure: players that pause are not cut off, and memory stays flat, next to nginx. */
async function paused(dataDir: string): Promise<void> {
  if (!workDir) throw new Error('no work directory')
  console.log(
    `\n[paused] ${PAUSED_VIEWERS} viewers, each its own ${PAUSED_RANGE / MiB} MiB range of a 1 GiB file at ${VIEWER_RATE / KiB} KiB/s:\n` +
      `         half steady, half pausing ${PAUSED_PAUSE_MS / 1000} s after every ${PAUSED_PLAY_MS / 1000} s of play (server RSS with its children)`,
  )
  console.log('server           completed  cut off  RSS before  RSS peak  growth     seconds  details')
  for (const who of BENCH_SERVERS) {
    const { server, filePath } = await startKind(who, dataDir)
    const ourServer = 'stats' in server ? server : undefined
    await ttfbSamples(server.port, filePath, 'bytes=0-1048575', 5) // warm up the code paths
    await new Promise((r) => setTimeout(r, 1000))
    const idle = await ourServer?.stats()
    if (idle) console.log(`${who} at rest: peaks MiB ${JSON.stringify(idle.memory)}`)
    const r = await pausedViewers({
      port: server.port,
      path: filePath,
      fileSize: THROUGHPUT_FILE,
      clients: PAUSED_VIEWERS,
      rangeBytes: PAUSED_RANGE,
      bytesPerSecond: VIEWER_RATE,
      playMs: PAUSED_PLAY_MS,
      pauseMs: PAUSED_PAUSE_MS,
      serverPid: server.pid,
    })
    const stats = await ourServer?.stats()
    const details = stats ? `server outcomes ${JSON.stringify(stats.outcomes)}, peaks MiB ${JSON.stringify(stats.memory)}` : ''
    await server.stop()
    console.log(
      `${who.padEnd(16)} ${String(r.completed).padStart(9)} ${String(r.cutOff).padStart(8)} ${mib(r.rssBefore)} MiB ${mib(r.rssPeak)} MiB ${mib(r.rssPeak - r.rssBefore)} MiB ${fmt(r.seconds, 1)}  ${details} ${r.cutOff ? JSON.stringify(r.cutCodes) : ''}`,
    )
  }
  console.log('goal: ours cuts off none, RSS growth <= 32 MiB')
}

const watchdog = setTimeout(() => {
  console.error('range bench: time limit reached, stopping')
  cleanup().finally(() => process.exit(1))
}, WATCHDOG_MS)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(130))
  })
}

main()
  .catch(async (err) => {
    console.error(err)
    await cleanup()
    process.exitCode = 1
  })
  .finally(() => clearTimeout(watchdog))
