import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { finished } from 'node:stream/promises'
import { promisify } from 'node:util'
import { randomFillSync } from 'node:crypto'
import { contentDir } from '@/lib/content/paths'
import { freePort } from '@/lib/db/embedded'
import { READ_PIECE_BYTES } from '@/lib/streaming/pipe'
import { median } from './clients'
import { ensureTools, PROJECT_ROOT, type Running, startNginx, startOurServer } from './processes'

// The production front (deploy/nginx/run.sh: the app authorizes, nginx sends the bytes) against
// bare nginx sendfile on the same file in the same run: whole-file GETs and 1 MiB ranges with wrk.
// Run with `npx tsx bench/range/front.ts`. The app behind the front is the media path alone
// (bench/range/server.ts, every hash public), so the figures are nginx's cost of asking the app.
const MiB = 1024 ** 2
const HASH = 'f0'.repeat(32)
const FILE_BYTES = 32 * MiB
const CLIENTS = 16
const ROUNDS = Number(process.env.ROUNDS ?? 9)
const ROUND_SECONDS = 3
const WORKERS = 1
const GOAL = 0.9

const run = promisify(execFile)
const running = new Set<Running>()
let workDir: string | undefined

async function cleanup(): Promise<void> {
  await Promise.allSettled([...running].map((r) => r.stop()))
  running.clear()
  if (workDir) await rm(workDir, { recursive: true, force: true })
}

async function writeFixture(file: string, size: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const out = createWriteStream(file)
  const block = randomFillSync(Buffer.allocUnsafe(MiB))
  for (let written = 0; written < size; written += block.length) {
    block.writeUInt32LE(written / MiB, 0)
    if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  out.end()
  await finished(out)
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** deploy/nginx/run.sh in front of the app at `upstream`, with as many workers as the bare nginx. */
async function startFront(upstream: number, dataDir: string, runDir: string): Promise<Running> {
  const port = await freePort()
  const env = {
    ...process.env,
    PROXY_PORT: String(port),
    UPSTREAM: `http://127.0.0.1:${upstream}`,
    DATA_DIR: dataDir,
    NGINX_RUN_DIR: runDir,
    NGINX_WORKERS: String(WORKERS),
    ACCESS_LOG: 'off',
  }
  const child = spawn('sh', [path.join(PROJECT_ROOT, 'deploy/nginx/run.sh')], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  const deadline = Date.now() + 15_000
  while (
    !(await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the front did not start')
    await new Promise((r) => setTimeout(r, 50))
  }
  return { port, pid: child.pid ?? 0, stop: () => stopped(child) }
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: MiB, GB: 1024 * MiB, TB: 1024 * 1024 * MiB }

/** MiB/s and requests/s of `CLIENTS` wrk connections for `ROUND_SECONDS`. */
async function wrk(url: string, headers: string[]): Promise<{ mibps: number; rps: number }> {
  const args = ['-t2', `-c${CLIENTS}`, `-d${ROUND_SECONDS}s`, '--timeout', '60s', ...headers.flatMap((h) => ['-H', h]), url]
  const { stdout } = await run('/usr/bin/wrk', args, { timeout: (ROUND_SECONDS + 30) * 1000 })
  const rate = /Transfer\/sec:\s+([\d.]+)([KMGT]?B)/.exec(stdout)
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout)
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(stdout)
  if (!rate || !rps) throw new Error(`unexpected wrk output:\n${stdout}`)
  if (bad) throw new Error(`${bad[1]} failed responses from ${url}`)
  return { mibps: (Number(rate[1]) * UNITS[rate[2]]) / MiB, rps: Number(rps[1]) }
}

const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(8)

async function main(): Promise<void> {
  await ensureTools()
  workDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-front-bench-'))
  const dataDir = path.join(workDir, 'data')
  const file = path.join(contentDir(HASH, dataDir), 'original')
  await writeFixture(file, FILE_BYTES)
  const loadavg = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')
  console.log(
    `front bench: ${os.cpus().length} cores, load average ${loadavg()}; ${FILE_BYTES / MiB} MiB file, wrk ${CLIENTS} connections, ${WORKERS} nginx worker each`,
  )

  const app = await startOurServer(dataDir, READ_PIECE_BYTES)
  running.add(app)
  const front = await startFront(app.port, dataDir, path.join(workDir, 'front'))
  running.add(front)
  const bare = await startNginx(dataDir, workDir, WORKERS)
  running.add(bare)
  const frontUrl = `http://127.0.0.1:${front.port}/api/v1/content/${HASH}/original`
  const bareUrl = `http://127.0.0.1:${bare.port}/content/${HASH.slice(0, 2)}/${HASH}/original`
  const mid = FILE_BYTES / 2 + 12345
  const cases = [
    { name: 'whole-file GETs', headers: [] as string[] },
    { name: '1 MiB ranges', headers: [`Range: bytes=${mid}-${mid + MiB - 1}`] },
  ]
  const verdicts: string[] = []
  for (const c of cases) {
    console.log(`\n[${c.name}] ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s`)
    const rates = { front: [] as number[], bare: [] as number[] }
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? (['front', 'bare'] as const) : (['bare', 'front'] as const)
      const line: string[] = []
      for (const who of order) {
        const r = await wrk(who === 'front' ? frontUrl : bareUrl, c.headers)
        rates[who].push(r.mibps)
        line.push(`${who === 'front' ? 'front' : 'nginx'} ${fmt(r.mibps)} MiB/s ${fmt(r.rps, 1)} req/s`)
      }
      console.log(`round ${round}: ${line.join('   ')}`)
    }
    // The machine is shared: the ratio of each round's adjacent pair follows load swings less than the ratio of medians.
    const paired = median(rates.front.map((f, i) => f / rates.bare[i]))
    const ratio = median(rates.front) / median(rates.bare)
    const verdict = `${c.name}: front ${fmt(median(rates.front)).trim()} MiB/s, nginx ${fmt(median(rates.bare)).trim()} MiB/s, ratio ${ratio.toFixed(2)}x, per-round ratio median ${paired.toFixed(2)}x (goal >= ${GOAL}x)`
    console.log(`median ${verdict}`)
    verdicts.push(verdict)
  }
  const { outcomes } = await app.stats()
  console.log(`\nsummary (load average now ${loadavg()})`)
  for (const v of verdicts) console.log(`  ${v}`)
  console.log(`  the app answered ${outcomes.front ?? 0} authorizations for the front in the whole run (public answers are reused for a few seconds)`)
  await cleanup()
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)))
main().catch(async (err) => {
  console.error(err)
  await cleanup()
  process.exitCode = 1
})
