import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { type Browser, chromium, type Page } from 'playwright-core'
import { freePort, startEmbeddedPostgres } from '@/lib/db/embedded'
import { buildIfStale } from '@/lib/launcher/build'
import { runChild, stopChild } from '@/lib/launcher/children'
import { makeClip, seedContent, tempDir } from '../../tests/e2e/ui/fixtures'

// Gallery and player figures on the production build, all on 127.0.0.1:
//   1. gallery first contentful paint and time to interactive with 1000 videos (headless Chromium);
//   2. GET /api/v1/videos?limit=24 latency (p50/p95/p99) with 10 000 videos;
//   3. click -> first frame for a `ready` (HLS) and a `processing` (direct original) video.
// `npx tsx bench/gallery/run.ts [--loads 10 --requests 400 --opens 10]`
// A fresh embedded PostgreSQL and data dir in a temp dir; web runs alone (no worker: the
// seeded states must not change under the measurement).

const { values: args } = parseArgs({
  options: {
    loads: { type: 'string', default: '10' },
    requests: { type: 'string', default: '400' },
    opens: { type: 'string', default: '6' },
  },
})

const WORDS =
  'morning ride hills harbour dusk timelapse kitchen sourdough rooftop rain night market walk drone quarry synthesizer coastal path windy studio session snow tram garden birds lecture football lighthouse ferry bridge sunrise estuary marathon workshop city lights train fireworks river skatepark pottery autumn forest'.split(
    ' ',
  )

const pick = (n: number, seed: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7919 + i * 104729) % WORDS.length])

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b)
  const r = (n: number) => Math.round(n * 10) / 10
  return { n: s.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), p99: r(pct(s, 99)), min: r(s[0]), max: r(s.at(-1)!) }
}

async function main() {
  const tmp = await tempDir('reelhouse-bench-gallery-')
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
    await ensureAdmin('bench@bench.test', 'bench-password-123')
    const owner = await db.user.findUniqueOrThrow({ where: { email: 'bench@bench.test' } })

    console.log('making media: a packaged 20 s clip and a processing original…')
    const ready = await seedContent(db, { clip: makeClip(path.join(tmp.dir, 'ready.mp4'), { seconds: 20 }), dataDir, state: 'STORED', seconds: 20 })
    const processing = await seedContent(db, {
      clip: makeClip(path.join(tmp.dir, 'processing.mp4'), { seconds: 20, size: '854x480', pattern: 'rgbtestsrc' }),
      dataDir,
      state: 'PROCESSING',
      seconds: 20,
      width: 854,
      height: 480,
    })

    const insert = async (from: number, to: number) => {
      const rows = []
      for (let i = from; i < to; i++) {
        rows.push({
          ownerId: owner.id,
          title: `${pick(4, i).join(' ')} #${i}`,
          description: pick(12, i + 1).join(' '),
          visibility: 'PUBLIC' as const,
          contentHash: ready,
          views: (i * 7919) % 100_000,
          createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
        })
      }
      for (let i = 0; i < rows.length; i += 1000) await db.video.createMany({ data: rows.slice(i, i + 1000) })
    }
    await insert(0, 998)
    const newest = Date.now()
    const readyId = (
      await db.video.create({
        data: { ownerId: owner.id, title: 'Bench ready video', visibility: 'PUBLIC', contentHash: ready, createdAt: new Date(newest - 1000) },
      })
    ).id
    const processingId = (
      await db.video.create({
        data: { ownerId: owner.id, title: 'Bench processing video', visibility: 'PUBLIC', contentHash: processing, createdAt: new Date(newest) },
      })
    ).id
    await db.$executeRawUnsafe('ANALYZE "Video"')

    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const env = { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', NEXTAUTH_URL: base, LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv
    children.push(runChild('web', 'server.ts', env))
    await waitFor(async () => (await fetch(`${base}/api/v1/health`).catch(() => null))?.ok === true, 60_000)

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
    })

    // 1. Gallery FCP / TTI with 1000 videos.
    console.log(`videos in the database: ${await db.video.count()}`)
    await warm(browser, base)
    const fcp: number[] = []
    const tti: number[] = []
    const hydrated: number[] = []
    for (let i = 0; i < Number(args.loads); i++) {
      const r = await loadGallery(browser, base)
      fcp.push(r.fcp)
      tti.push(r.tti)
      hydrated.push(r.hydrated)
    }

    // 3. Click -> first frame (same 1000-video gallery): a fresh browser profile (nothing cached)
    // and a second open in the same tab (player code cached, as for anyone who watched before).
    const firstFrame = { ready: [] as Opened[], processing: [] as Opened[] }
    for (let i = 0; i < Number(args.opens); i++) {
      firstFrame.ready.push(await clickToFirstFrame(browser, base, readyId))
      firstFrame.processing.push(await clickToFirstFrame(browser, base, processingId))
    }
    const summarise = (list: Opened[]) => ({
      coldImmediate: stats(list.map((o) => o.coldImmediate.firstFrameMs)),
      coldAfterHover: stats(list.map((o) => o.coldAfterHover.firstFrameMs)),
      warm: stats(list.map((o) => o.warm.firstFrameMs)),
      coldImmediateTimelineMedian: median(list.map((o) => o.coldImmediate.timeline)),
      warmTimelineMedian: median(list.map((o) => o.warm.timeline)),
    })

    // 2. The list endpoint with 10 000 videos.
    await insert(998, 9998)
    await db.$executeRawUnsafe('ANALYZE "Video"')
    console.log(`videos in the database: ${await db.video.count()}`)
    const api: Record<string, ReturnType<typeof stats>> = {}
    const second = (await (await fetch(`${base}/api/v1/videos?limit=24`)).json()) as { nextCursor: string }
    for (const [name, q] of [
      ['newest', 'limit=24'],
      ['newest, page 2 (cursor)', `limit=24&cursor=${second.nextCursor}`],
      ['most viewed', 'limit=24&sort=views'],
      ['search q=harbour', 'limit=24&q=harbour'],
    ] as const) {
      api[name] = await timeRequests(`${base}/api/v1/videos?${q}`, Number(args.requests))
    }

    const out = {
      gallery1000: { fcpMs: stats(fcp), ttiMs: stats(tti), hydratedMs: stats(hydrated) },
      listApi10000Ms: api,
      clickToFirstFrameMs: { ready: summarise(firstFrame.ready), processing: summarise(firstFrame.processing) },
    }
    console.log(JSON.stringify(out, null, 2))
    await disconnectDb()
  } finally {
    await browser?.close()
    await Promise.all(children.map((c) => stopChild(c)))
    await pg?.stop()
    await tmp.remove()
  }
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** One load to fill server-side caches (compiled routes, connection pool), not measured. */
async function warm(browser: Browser, base: string): Promise<void> {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.goto(base, { waitUntil: 'networkidle' })
  await ctx.close()
}

// TTI as Lighthouse defines it, simplified: the end of the last long task (>50 ms) that is
// followed by a 3 s quiet window, and never before DOMContentLoaded or FCP.
const LONGTASK_SCRIPT = () => {
  const w = window as unknown as { __longtasks: { start: number; end: number }[] }
  w.__longtasks = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, end: e.startTime + e.duration })
  }).observe({ type: 'longtask', buffered: true })
}

async function loadGallery(browser: Browser, base: string): Promise<{ fcp: number; tti: number; hydrated: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await ctx.newPage()
  await page.addInitScript(LONGTASK_SCRIPT)
  await page.goto(base, { waitUntil: 'load' })
  await page.locator('[data-testid="gallery"] [data-video-id]').first().waitFor()
  await page.waitForTimeout(3000)
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN
    const hydrated = performance.getEntriesByName('reelhouse:gallery-interactive')[0]?.startTime ?? Number.NaN
    const tasks = (window as unknown as { __longtasks: { start: number; end: number }[] }).__longtasks
    let tti = Math.max(fcp, nav.domContentLoadedEventEnd)
    for (const t of tasks) if (t.end > tti) tti = t.end
    return { fcp, tti, hydrated }
  })
  await ctx.close()
  return r
}

interface OpenTiming {
  firstFrameMs: number
  timeline: Record<string, number>
}
interface Opened {
  /** A fresh profile, clicking as soon as the gallery has loaded: player code not loaded yet. */
  coldImmediate: OpenTiming
  /** A fresh profile, resting the pointer on the card for 1 s before clicking (hover starts loading the player). */
  coldAfterHover: OpenTiming
  /** A second open in the same tab. */
  warm: OpenTiming
}

async function clickToFirstFrame(browser: Browser, base: string, id: string): Promise<Opened> {
  let ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  let page: Page = await ctx.newPage()
  const open = async (hoverMs = 0): Promise<OpenTiming> => {
    await page.goto(base, { waitUntil: 'networkidle' })
    const card = page.locator(`[data-video-id="${id}"]`)
    if (hoverMs) {
      await card.hover()
      await page.waitForTimeout(hoverMs)
    }
    await card.click()
    const handle = await page.waitForFunction(
      () => {
        const s = (window as unknown as { __reelhouse?: { player?: { stats: OpenTiming & { firstFrameMs: number | null } } } }).__reelhouse?.player?.stats
        return s?.firstFrameMs != null ? { firstFrameMs: s.firstFrameMs, timeline: s.timeline } : null
      },
      undefined,
      { timeout: 15_000, polling: 20 },
    )
    return (await handle.jsonValue()) as OpenTiming
  }
  const coldImmediate = await open()
  await ctx.close()
  ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await ctx.newPage()
  const coldAfterHover = await open(1000)
  const warm = await open()
  await ctx.close()
  return { coldImmediate, coldAfterHover, warm }
}

function median(list: Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(list.flatMap((o) => Object.keys(o)))]
  return Object.fromEntries(
    keys.map((k) => [
      k,
      pct(
        list
          .map((o) => o[k])
          .filter((v) => v !== undefined)
          .sort((a, b) => a - b),
        50,
      ),
    ]),
  )
}

async function timeRequests(url: string, n: number) {
  for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer()
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    const res = await fetch(url)
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
    times.push(performance.now() - t0)
  }
  return stats(times)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
