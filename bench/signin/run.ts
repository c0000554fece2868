import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startEmbeddedPostgres } from '@/lib/db/embedded'

// Sign-in timing: how long a refusal takes for an existing email with a wrong password vs an
// email nobody has (the dummy bcrypt compare should make them alike), side by side in one run.
// Each attempt comes from its own address and the known account is reset between attempts, so the
// throttle never blocks (a blocked attempt skips bcrypt and would flatter both figures).
// `npx tsx bench/signin/run.ts [--attempts 30]`

const { values: args } = parseArgs({ options: { attempts: { type: 'string', default: '30' } } })

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
const stats = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b)
  const r = (n: number) => Math.round(n * 10) / 10
  return { n: s.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), min: r(s[0]), max: r(s.at(-1)!) }
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-bench-signin-'))
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'db') })
  try {
    const { deployMigrations } = await import('@/lib/db/migrations')
    await deployMigrations(pg.url)
    process.env.DATABASE_URL = pg.url
    process.env.DATA_DIR = path.join(dir, 'data')
    const { createUser } = await import('@/lib/auth/users')
    const { signInWithPassword } = await import('@/lib/auth/sign-in')
    const { db, disconnectDb } = await import('@/lib/db')
    const known = 'known@bench.test'
    await createUser({ email: known, password: 'the-right-password' })
    const attempts = Number(args.attempts)
    const time = async (email: string) => {
      const t0 = performance.now()
      await signInWithPassword({ email, password: 'a-wrong-password', address: `bench-${randomBytes(6).toString('hex')}` })
      const ms = performance.now() - t0
      await db.signInThrottle.deleteMany({ where: { key: `account:${email}` } })
      return ms
    }
    // Warm both paths (the dummy hash is made on first use), then alternate so load hits both alike.
    await time(known)
    await time('warm-up@bench.test')
    const knownMs: number[] = []
    const unknownMs: number[] = []
    for (let i = 0; i < attempts; i++) {
      knownMs.push(await time(known))
      unknownMs.push(await time(`nobody-${i}@bench.test`))
    }
    const k = stats(knownMs)
    const u = stats(unknownMs)
    console.log(`sign-in refusal, ${attempts} attempts each (ms):`)
    console.log(`  existing email, wrong password  p50 ${k.p50}  p95 ${k.p95}  min ${k.min}  max ${k.max}`)
    console.log(`  unknown email                   p50 ${u.p50}  p95 ${u.p95}  min ${u.min}  max ${u.max}`)
    console.log(`  ratio of medians (existing / unknown): ${(k.p50 / u.p50).toFixed(2)}`)
    await disconnectDb()
  } finally {
    await pg.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
