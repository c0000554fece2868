import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { type Browser, chromium, type Page } from 'playwright-core'
import { freePort, startEmbeddedPostgres } from '@/lib/db/embedded'
import { buildIfStale } from '@/lib/launcher/build'
import { runChild, stopChild } from '@/lib/launcher/children'
import { makeClip, seedContent, tempDir } from '../../tests/e2e/ui/fixtures'

// What a viewer waits for, on the production build, all on 127.0.0.1, in a fresh browser profile
// per open (nothing cached):
//   1. click on a gallery card -> first frame, signed out and signed in (the first open after signing in);
//   2. click -> the picture at 720p or more in "Auto", in a 1280x800 window (a 1080p ladder).
// `npx tsx bench/player/run.ts [--opens 8]`
// A fresh embedded PostgreSQL and data dir in a temp dir; web runs alone (no worker).

const { values: args } = parseArgs({ options: { opens: { type: 'string', default: '8' } } })
const EMAIL = 'bench@bench.test'
const PASSWORD = 'bench-password-123'
const VIEWPORT = { width: 1280, height: 800 }

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
function stats(values: number[]) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  return { n: s.length, p50: Math.round(pct(s, 50)), p95: Math.round(pct(s, 95)), min: Math.round(s[0]), max: Math.round(s.at(-1)!) }
}

interface Open {
  firstFrameMs: number
  /** ms after the click until the video element first showed a frame of at least 720 lines. */
  hdMs: number
  hdHeight: number
}

async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/signin`)
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)
}

async function openOnce(browser: Browser, base: string, id: string, signedIn: boolean): Promise<Open> {
  const ctx = await browser.newContext({ viewport: VIEWPORT })
  try {
    const page = await ctx.newPage()
    if (signedIn) await signIn(page, base)
    await page.goto(base, { waitUntil: 'networkidle' })
    await page.locator(`[data-video-id="${id}"]`).click()
    const handle = await page.waitForFunction(
      () => {
        const r = (window as unknown as { __reelhouse?: { player?: { stats: { firstFrameMs: number | null; openedAt: number } } } }).__reelhouse
        const s = r?.player?.stats
        const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')
        const w = window as unknown as { __hd?: { at: number; height: number } }
        if (s && v && !w.__hd && v.videoHeight >= 720) w.__hd = { at: performance.now() - s.openedAt, height: v.videoHeight }
        return s?.firstFrameMs != null && w.__hd ? { firstFrameMs: s.firstFrameMs, hdMs: w.__hd.at, hdHeight: w.__hd.height } : null
      },
      undefined,
      { timeout: 60_000, polling: 20 },
    )
    return (await handle.jsonValue()) as Open
  } finally {
    await ctx.close()
  }
}

async function main() {
  const tmp = await tempDir('reelhouse-bench-player-')
  const children: ChildProcess[] = []
  let browser: Browser | null = null
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null
  try {
    console.log('building the production bundle if sources changed…')
    await buildIfStale()
    pg = await startEmbeddedPostgres({ dataDir: path.join(tmp.dir, 'db') })
    const { deployMigrations } = await import('@/lib/db/migrations')
    await deployMigrations(pg.url)
    const dataDir = path.join(tmp.dir, 'data')
    process.env.DATABASE_URL = pg.url
    process.env.DATA_DIR = dataDir
    process.env.NEXTAUTH_SECRET ??= 'bench-secret-bench-secret-bench-secret'
    const { db, disconnectDb } = await import('@/lib/db')
    const { ensureAdmin } = await import('@/lib/auth/users')
    await ensureAdmin(EMAIL, PASSWORD)
    const owner = await db.user.findUniqueOrThrow({ where: { email: EMAIL } })

    console.log('making media: a 20 s 1080p clip packaged as 1080p/720p/480p/360p (the default ladder)…')
    const hash = await seedContent(db, {
      clip: makeClip(path.join(tmp.dir, 'hd.mp4'), { seconds: 20, size: '1920x1080' }),
      dataDir,
      state: 'STORED',
      seconds: 20,
      width: 1920,
      height: 1080,
      rungs: [
        { name: '1080p', height: 1080, bitrate: 4_000_000 },
        { name: '720p', height: 720, bitrate: 2_500_000 },
        { name: '480p', height: 480, bitrate: 1_200_000 },
        { name: '360p', height: 360, bitrate: 700_000 },
      ],
    })
    const id = (await db.video.create({ data: { ownerId: owner.id, title: 'Bench 1080p video', visibility: 'PUBLIC', contentHash: hash } })).id

    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const env = { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', NEXTAUTH_URL: base, LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv
    children.push(runChild('web', 'server.ts', env))
    const deadline = Date.now() + 60_000
    while ((await fetch(`${base}/api/v1/health`).catch(() => null))?.ok !== true) {
      if (Date.now() > deadline) throw new Error('web did not start')
      await new Promise((r) => setTimeout(r, 200))
    }

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
    })
    // One unmeasured open fills the server's caches (compiled routes, connection pool).
    await openOnce(browser, base, id, false)
    const runs = { anonymous: [] as Open[], signedIn: [] as Open[] }
    for (let i = 0; i < Number(args.opens); i++) {
      runs.anonymous.push(await openOnce(browser, base, id, false))
      runs.signedIn.push(await openOnce(browser, base, id, true))
    }
    const summary = Object.fromEntries(
      Object.entries(runs).map(([k, list]) => [
        k,
        {
          clickToFirstFrameMs: stats(list.map((o) => o.firstFrameMs)),
          clickTo720pOrMoreMs: stats(list.map((o) => o.hdMs)),
          heightsReached: [...new Set(list.map((o) => o.hdHeight))],
        },
      ]),
    )
    console.log(JSON.stringify({ viewport: VIEWPORT, opensEach: Number(args.opens), ...summary }, null, 2))
    await disconnectDb()
  } finally {
    await browser?.close()
    await Promise.all(children.map((c) => stopChild(c)))
    await pg?.stop()
    await tmp.remove()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
