import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { freePort, startEmbeddedPostgres } from '@/lib/db/embedded'
import { buildIfStale } from '@/lib/launcher/build'
import { runChild, stopChild } from '@/lib/launcher/children'
import { makeClip, seedContent, tempDir } from '../../tests/e2e/ui/fixtures'

// Watch together, measured with real browsers on the production build, all on 127.0.0.1: several
// Chromium pages in one together room, one of them on a throttled network (CDP
// Network.emulateNetworkConditions: latency and bandwidth), each page's position read from its own
// clock and projected to the same instant.
//   drift        spread between the members (max - min position) every 100 ms, from 10 s after play
//   seek         command -> every member within 100 ms of the others
//   late join    the late joiner's player ready -> within 100 ms of the others
//   stutter      seeks per member per minute and the share of time at a rate != the room's, in steady state
//   stall        the throttled member starved: how long the others waited, and its recovery once the network is back
// `npx tsx bench/together/run.ts [--members 3] [--steady 20]`

const { values: args } = parseArgs({ options: { members: { type: 'string', default: '3' }, steady: { type: 'string', default: '20' } } })
const PASSWORD = 'bench-password-123'
const WAIT_MS = 3000
const THROTTLED = { offline: false, latency: 40, downloadThroughput: (4_000_000 / 8) | 0, uploadThroughput: (1_000_000 / 8) | 0 }

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
const round = (v: number) => Math.round(v * 10) / 10
function stats(values: number[]) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (s.length === 0) return { n: 0 }
  return { n: s.length, p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)), max: round(s.at(-1) as number) }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Probe {
  pos: number
  now: number
  paused: boolean
  rate: number
  ready: boolean
  stats: { seeks: number; msOffRate: number; rateChanges: number } | null
}

function probe(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="watch-player"] video')
    const t = (window as unknown as { __reelhouse?: { together?: { stats: Probe['stats'] } } }).__reelhouse?.together
    return {
      pos: v ? v.currentTime * 1000 : -1,
      now: Date.now(),
      paused: v ? v.paused : true,
      rate: v ? v.playbackRate : 1,
      ready: !!v && v.readyState >= 3,
      stats: t ? { seeks: t.stats?.seeks ?? 0, msOffRate: t.stats?.msOffRate ?? 0, rateChanges: t.stats?.rateChanges ?? 0 } : null,
    }
  })
}

async function spread(pages: Page[]): Promise<{ ms: number; probes: Probe[] }> {
  const probes = await Promise.all(pages.map(probe))
  const at = Math.max(...probes.map((p) => p.now))
  const pos = probes.map((p) => p.pos + (p.paused ? 0 : (at - p.now) * p.rate))
  return { ms: probes.some((p) => p.pos < 0) ? Number.POSITIVE_INFINITY : Math.max(...pos) - Math.min(...pos), probes }
}

/** ms until `pages` are within `within` ms of each other (three samples in a row), or null after `timeoutMs`. */
async function timeToStep(pages: Page[], from: number, within = 100, timeoutMs = 30_000): Promise<number | null> {
  let streak = 0
  let first = 0
  while (Date.now() - from < timeoutMs) {
    const s = await spread(pages)
    if (s.ms <= within) {
      if (streak++ === 0) first = Date.now()
      if (streak >= 3) return first - from
    } else streak = 0
    await sleep(50)
  }
  return null
}

async function signIn(ctx: BrowserContext, base: string, email: string): Promise<Page> {
  const page = await ctx.newPage()
  await page.goto(`${base}/signin`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)
  return page
}

async function waitReady(page: Page, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if ((await probe(page)).ready) return Date.now()
    await sleep(25)
  }
  throw new Error('a member player never became ready')
}

async function main() {
  const tmp = await tempDir('reelhouse-bench-together-')
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
    const { createUser } = await import('@/lib/auth/users')
    const { createApiKey } = await import('@/lib/auth/api-keys')
    const n = Math.max(2, Number(args.members))
    const users = []
    for (let i = 0; i <= n; i++) users.push(await createUser({ email: `member${i}@bench.test`, name: `Member ${i}`, password: PASSWORD }))
    const { key } = await createApiKey(users[0].id, { name: 'bench', scopes: ['read', 'write'] })
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }

    console.log('making media: a 90 s clip packaged as 480p/360p HLS…')
    const hash = await seedContent(db, {
      clip: makeClip(path.join(tmp.dir, 'clip.mp4'), { seconds: 90, size: '854x480' }),
      dataDir,
      state: 'STORED',
      seconds: 90,
      width: 854,
      height: 480,
      rungs: [
        { name: '480p', height: 480, bitrate: 1_200_000 },
        { name: '360p', height: 360, bitrate: 700_000 },
      ],
    })
    const videoId = (await db.video.create({ data: { ownerId: users[0].id, title: 'Bench together', visibility: 'PUBLIC', contentHash: hash } })).id

    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const env = { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', NEXTAUTH_URL: base, LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv
    children.push(runChild('web', 'server.ts', env))
    const deadline = Date.now() + 60_000
    while ((await fetch(`${base}/api/v1/health`).catch(() => null))?.ok !== true) {
      if (Date.now() > deadline) throw new Error('web did not start')
      await sleep(200)
    }
    const api = async (p: string, body?: object) => {
      const res = await fetch(`${base}${p}`, { method: body ? 'POST' : 'GET', headers: auth, body: body ? JSON.stringify(body) : undefined })
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const room = await api('/api/v1/rooms', { name: 'Bench room', mode: 'together', waitMs: WAIT_MS })
    const command = (c: object) => api(`/api/v1/rooms/${room.id}/commands`, c)
    await command({ type: 'playlist.load', videoIds: [videoId] })

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--autoplay-policy=no-user-gesture-required',
      ],
    })
    const pages: Page[] = []
    // members 0..n-1 join now (the last one on a throttled network); member n joins late.
    for (let i = 0; i < n; i++) {
      const ctx = await browser.newContext({ viewport: { width: 640, height: 480 } })
      const page = await signIn(ctx, base, users[i].email)
      if (i === n - 1) {
        const cdp = await ctx.newCDPSession(page)
        await cdp.send('Network.enable')
        await cdp.send('Network.emulateNetworkConditions', THROTTLED)
        ;(page as Page & { cdp?: typeof cdp }).cdp = cdp
      }
      await page.goto(`${base}${room.joinUrl}`)
      pages.push(page)
    }
    for (const p of pages) await waitReady(p)
    await command({ type: 'play' })
    console.log(`${n} members playing (member ${n - 1} throttled: ${THROTTLED.latency} ms, ${THROTTLED.downloadThroughput * 8} bit/s); settling 10 s…`)
    await sleep(10_000)

    const steadyS = Number(args.steady)
    const before = await Promise.all(pages.map(probe))
    const spreads: number[] = []
    const until = Date.now() + steadyS * 1000
    while (Date.now() < until) {
      spreads.push((await spread(pages)).ms)
      await sleep(100)
    }
    const after = await Promise.all(pages.map(probe))
    const perMember = after.map((a, i) => {
      const b = before[i]
      const seeks = (a.stats?.seeks ?? 0) - (b.stats?.seeks ?? 0)
      const offRate = (a.stats?.msOffRate ?? 0) - (b.stats?.msOffRate ?? 0)
      return { member: i, throttled: i === n - 1, seeksPerMinute: round((seeks * 60) / steadyS), timeOffRatePct: round((offRate / (steadyS * 1000)) * 100) }
    })

    const seekTimes: number[] = []
    for (const at of [60_000, 5_000, 40_000, 20_000, 50_000]) {
      await command({ type: 'seek', positionMs: at })
      const t = await timeToStep(pages, Date.now())
      seekTimes.push(t ?? Number.POSITIVE_INFINITY)
      await sleep(2000)
    }

    const lateCtx = await browser.newContext({ viewport: { width: 640, height: 480 } })
    const late = await signIn(lateCtx, base, users[n].email)
    await late.goto(`${base}${room.joinUrl}`)
    const readyAt = await waitReady(late)
    const lateJoin = await timeToStep([...pages, late], readyAt)
    pages.push(late)

    // The throttled member starves (a trickle of bandwidth) once its buffer runs out.
    const throttled = pages[n - 1] as Page & { cdp?: { send(m: string, p: object): Promise<unknown> } }
    const events: { type: string; serverTime: number }[] = []
    const host = pages[0]
    await host.exposeFunction('__benchCommand', (e: { type: string; serverTime: number }) => events.push(e))
    await host.evaluate(() => {
      const t = (window as unknown as { __reelhouse: { together: { manager: { socket: { on(e: string, f: (x: unknown) => void): void } } } } }).__reelhouse
        .together
      t.manager.socket.on('command', (e) => (window as unknown as { __benchCommand(x: unknown): void }).__benchCommand(e))
    })
    await command({ type: 'seek', positionMs: 0 })
    await timeToStep(pages, Date.now())
    await sleep(3000)
    await throttled.cdp?.send('Network.emulateNetworkConditions', { ...THROTTLED, downloadThroughput: 2_000 })
    const stallStart = Date.now()
    let pause: { serverTime: number } | undefined
    let play: { serverTime: number } | undefined
    while (Date.now() - stallStart < 90_000 && !play) {
      pause ??= events.find((e) => e.type === 'pause')
      if (pause) play = events.find((e) => e.type === 'play' && e.serverTime > (pause?.serverTime ?? 0))
      await sleep(100)
    }
    const others = pages.filter((p) => p !== throttled)
    await sleep(1000)
    const othersSpread = (await spread(others)).ms
    await throttled.cdp?.send('Network.emulateNetworkConditions', THROTTLED)
    const recovery = await timeToStep(pages, Date.now(), 100, 60_000)

    console.log(
      JSON.stringify(
        {
          members: n,
          throttledMember: { latencyMs: THROTTLED.latency, downloadBitPerS: THROTTLED.downloadThroughput * 8 },
          driftSpreadMs: { afterSeconds: 10, windowSeconds: steadyS, ...stats(spreads) },
          steadyState: perMember,
          seekToWithin100Ms: stats(seekTimes),
          lateJoinReadyToWithin100Ms: lateJoin,
          stall: {
            roomWaitedMs: pause && play ? play.serverTime - pause.serverTime : null,
            waitMs: WAIT_MS,
            othersSpreadAfterMs: round(othersSpread),
            recoveryToWithin100Ms: recovery,
          },
        },
        null,
        2,
      ),
    )
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
