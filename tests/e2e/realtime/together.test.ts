import type { Browser, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser, screenshot, signIn } from '../browser'
import { until } from '../ui/helpers'

// Watch together in Chromium: members open the invite link, the room's timeline keeps their
// players in step (measured from each page's own clock at the same instant), commands from the
// allowed members move everyone, a late joiner catches up, and a member whose segments stop
// arriving makes the others wait no longer than the room's waitMs.

interface Probe {
  pos: number
  now: number
  paused: boolean
  rate: number
  ready: boolean
  state: string | null
}

/** One page's player: its position (ms) at its own clock's `now`. */
function probe(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="watch-player"] video')
    const t = (window as unknown as { __reelhouse?: { together?: { view(): { self: { state: string } } } } }).__reelhouse?.together
    return {
      pos: v ? v.currentTime * 1000 : -1,
      now: Date.now(),
      paused: v ? v.paused : true,
      rate: v ? v.playbackRate : 1,
      ready: !!v && v.readyState >= 3,
      state: t ? t.view().self.state : null,
    }
  })
}

/** The largest gap between the pages' positions, each projected to the same instant. */
async function spread(pages: Page[]): Promise<{ ms: number; probes: Probe[] }> {
  const probes = await Promise.all(pages.map(probe))
  const at = Math.max(...probes.map((p) => p.now))
  const pos = probes.map((p) => p.pos + (p.paused ? 0 : (at - p.now) * p.rate))
  return { ms: Math.max(...pos) - Math.min(...pos), probes }
}

const inStep = (pages: Page[], ms = 100) =>
  until(
    () => spread(pages),
    (s) => s.ms <= ms && s.probes.every((p) => p.pos >= 0),
    60_000,
    `players within ${ms} ms`,
  )

describe('watch together', () => {
  let browser: Browser
  let owner: Awaited<ReturnType<typeof userWithKey>>
  const members: Awaited<ReturnType<typeof userWithKey>>[] = []
  let video = ''
  let roomId = ''
  let joinUrl = ''
  const pages: Record<string, Page> = {}
  const json = { 'content-type': 'application/json' }

  const command = (body: object) =>
    fetch(`${base()}/api/v1/rooms/${roomId}/commands`, { method: 'POST', headers: { ...owner.auth, ...json }, body: JSON.stringify(body) })

  beforeAll(async () => {
    owner = await userWithKey()
    for (let i = 0; i < 3; i++) members.push(await userWithKey())
    await db.user.update({ where: { id: members[0].user.id }, data: { name: 'Ann' } })
    const created = await (
      await uploadMultipart(makeMp4('together.mp4', { seconds: 60, seed: 15 }), { title: 'Together clip', visibility: 'public' }, owner.auth)
    ).json()
    video = created.id
    expect((await waitForStatus(video, owner.auth, ['ready', 'failed'], 240_000)).status).toBe('ready')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await disconnectDb()
  })

  it('creates a together room over REST and refuses bad input and strangers with problem+json', async () => {
    const bad = [
      { name: 'x', mode: 'remote', guests: true },
      { name: 'x', mode: 'together', waitMs: 'soon' },
      { mode: 'together' },
      { name: 'x', mode: 'party' },
    ]
    for (const body of bad) {
      const res = await fetch(`${base()}/api/v1/rooms`, { method: 'POST', headers: { ...owner.auth, ...json }, body: JSON.stringify(body) })
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    const res = await fetch(`${base()}/api/v1/rooms`, {
      method: 'POST',
      headers: { ...owner.auth, ...json },
      body: JSON.stringify({ name: 'Film night', mode: 'together', control: 'host', waitMs: 2000 }),
    })
    expect(res.status).toBe(201)
    const room = await res.json()
    expect(room).toMatchObject({ mode: 'together', control: 'host', guests: false, waitMs: 2000 })
    roomId = room.id
    joinUrl = room.joinUrl
    expect(joinUrl).toMatch(/^\/watch\/[^?]+\?invite=/)

    const stranger = members[2]
    expect((await fetch(`${base()}/api/v1/rooms/${roomId}`, { headers: stranger.auth })).status).toBe(404)
    const wrong = await fetch(`${base()}/api/v1/rooms/${roomId}/join`, {
      method: 'POST',
      headers: { ...stranger.auth, ...json },
      body: JSON.stringify({ invite: 'guess' }),
    })
    expect(wrong.status).toBe(403)
    expect((await fetch(`${base()}/api/v1/rooms/${roomId}/invite`, { method: 'DELETE', headers: stranger.auth })).status).toBe(404)
    expect((await command({ type: 'playlist.load', videoIds: [video] })).status).toBe(200)
    expect((await command({ type: 'rate', rate: 9 })).status).toBe(422)
  })

  it('two members who open the link play in step; play, pause and seek keep them within 100 ms', async () => {
    pages.owner = await signIn(await browser.newContext(), owner.user.email, 'password-123')
    pages.ann = await signIn(await browser.newContext(), members[0].user.email, 'password-123')
    for (const p of [pages.owner, pages.ann]) await p.goto(`${base()}${joinUrl}`)
    await pages.ann.getByTestId('members').getByText('Ann').waitFor({ timeout: 30_000 })
    // A member with control "host" sees no controls; the owner does.
    expect(await pages.ann.getByTestId('controls').count()).toBe(0)
    await until(
      () => probe(pages.ann),
      (p) => p.ready,
      60_000,
      'the member player to load',
    )

    await pages.owner.getByTestId('play-pause').click()
    await until(
      () => probe(pages.ann),
      (p) => !p.paused && p.pos > 1000,
      30_000,
      'playback on the member page',
    )
    const playing = await inStep([pages.owner, pages.ann])
    expect(playing.ms).toBeLessThanOrEqual(100)
    // Stays in step while playing, sampled over a few seconds.
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 300))
      expect((await spread([pages.owner, pages.ann])).ms).toBeLessThanOrEqual(100)
    }

    await pages.owner.getByTestId('play-pause').click()
    await until(
      () => Promise.all([probe(pages.owner), probe(pages.ann)]),
      (ps) => ps.every((p) => p.paused),
      10_000,
      'both paused',
    )
    expect((await inStep([pages.owner, pages.ann], 50)).ms).toBeLessThanOrEqual(50)

    expect((await command({ type: 'seek', positionMs: 30_000 })).status).toBe(200)
    expect((await command({ type: 'play' })).status).toBe(200)
    const sought = await inStep([pages.owner, pages.ann])
    expect(sought.probes.every((p) => p.pos > 29_000)).toBe(true)
    await screenshot(pages.owner, 'together-1280')
  })

  it('shows members with their state and drift, in the page and in GET /rooms/{id}', async () => {
    const room = await (await fetch(`${base()}/api/v1/rooms/${roomId}`, { headers: owner.auth })).json()
    const ann = room.members.find((m: { userId: string }) => m.userId === members[0].user.id)
    expect(ann).toMatchObject({ name: 'Ann', state: 'playing' })
    expect(Math.abs(ann.driftMs)).toBeLessThan(1000)
    expect(room.members.map((m: { userId: string }) => m.userId)).toContain(owner.user.id)
    await until(
      () => pages.owner.getByTestId('member').count(),
      (n) => n === 2,
      10_000,
      'two members listed',
    )
  })

  it('a late joiner starts at the current position and is in step shortly after its player is ready', async () => {
    // Well inside the video, so the timeline does not run past its end while Bob joins.
    expect((await command({ type: 'seek', positionMs: 5_000 })).status).toBe(200)
    await inStep([pages.owner, pages.ann])
    const bobCtx = await browser.newContext({ viewport: { width: 390, height: 844 } })
    pages.bob = await signIn(bobCtx, members[1].user.email, 'password-123')
    await pages.bob.goto(`${base()}${joinUrl}`)
    await until(
      () => probe(pages.bob),
      (p) => p.ready && !p.paused,
      60_000,
      'the late joiner to play',
    )
    const s = await inStep([pages.owner, pages.ann, pages.bob])
    expect(s.ms).toBeLessThanOrEqual(100)
    const width = await pages.bob.evaluate(() => document.documentElement.scrollWidth)
    expect(width, 'the watch page fits a phone').toBeLessThanOrEqual(390)
    await screenshot(pages.bob, 'together-390')
  })

  it('a member whose segments stop arriving holds the room at most waitMs; it catches up once they flow again', async () => {
    const stuck: Route[] = []
    const starve = (route: Route) => {
      stuck.push(route)
    }
    const events: { type: string; serverTime: number }[] = []
    await pages.owner.exposeFunction('__onCommand', (e: { type: string; serverTime: number }) => events.push(e))
    await pages.owner.evaluate(() => {
      const t = (window as unknown as { __reelhouse: { together: { manager: { socket: { on(e: string, f: (x: unknown) => void): void } } } } }).__reelhouse
        .together
      t.manager.socket.on('command', (e) => (window as unknown as { __onCommand(x: unknown): void }).__onCommand(e))
    })
    // Back to the start, everyone in step; then Ann gets no segment beyond what she has buffered,
    // so she stalls where her buffer ends while the others have theirs.
    expect((await command({ type: 'seek', positionMs: 0 })).status).toBe(200)
    await inStep([pages.owner, pages.ann, pages.bob])
    await new Promise((r) => setTimeout(r, 3000))
    await pages.ann.route(/\/streams\/\d+\/seg-\d+\.m4s/, starve)
    events.length = 0
    await until(
      () => probe(pages.ann),
      (p) => p.state === 'buffering',
      90_000,
      'Ann to stall',
    )
    const annView = () =>
      pages.ann.evaluate(() =>
        JSON.stringify((window as unknown as { __reelhouse: { together: { view(): { self: unknown }; stats: unknown } } }).__reelhouse.together.view().self),
      )
    const pause = await until(
      async () => events.find((e) => e.type === 'pause'),
      (e) => !!e,
      15_000,
      'the room to wait',
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}; Ann: ${await annView()}`)
    })
    const play = await until(
      async () => events.find((e) => e.type === 'play' && e.serverTime > (pause?.serverTime ?? 0)),
      (e) => !!e,
      15_000,
      'the room to continue without her',
    )
    // The room waited for her, and not beyond its waitMs (2 s; 0.5 s for delivering the commands).
    const waited = (play?.serverTime ?? 0) - (pause?.serverTime ?? 0)
    expect(waited).toBeGreaterThanOrEqual(1500)
    expect(waited).toBeLessThanOrEqual(2500)
    await until(
      () => Promise.all([probe(pages.owner), probe(pages.bob)]),
      (ps) => ps.every((p) => !p.paused),
      10_000,
      'the others playing on',
    )
    expect((await spread([pages.owner, pages.bob])).ms).toBeLessThanOrEqual(100)
    expect((await probe(pages.ann)).state).toBe('buffering')

    // Her segments flow again: she seeks ahead to the timeline and is back in step.
    await pages.ann.unroute(/\/streams\/\d+\/seg-\d+\.m4s/, starve)
    for (const r of stuck.splice(0)) await r.continue().catch(() => undefined)
    const s = await inStep([pages.owner, pages.ann, pages.bob])
    expect(s.ms).toBeLessThanOrEqual(100)
    expect(events.filter((e) => e.type === 'pause')).toHaveLength(1)
  })

  it('a member whose socket drops rejoins and resyncs without a reload', async () => {
    await pages.ann.evaluate(() => {
      const t = (window as unknown as { __reelhouse: { together: { manager: { socket: { io: { engine: { close(): void } } } } } } }).__reelhouse.together
      t.manager.socket.io.engine.close()
    })
    expect((await command({ type: 'seek', positionMs: 20_000 })).status).toBe(200)
    const s = await inStep([pages.owner, pages.ann])
    expect(s.probes.every((p) => p.pos > 19_000)).toBe(true)
  })

  it('revoking the invite keeps members but admits nobody new', async () => {
    expect((await fetch(`${base()}/api/v1/rooms/${roomId}/invite`, { method: 'DELETE', headers: owner.auth })).status).toBe(204)
    const late = await signIn(await browser.newContext(), members[2].user.email, 'password-123')
    await late.goto(`${base()}${joinUrl}`)
    await late.getByTestId('watch-error').waitFor({ timeout: 15_000 })
    expect((await fetch(`${base()}/api/v1/rooms/${roomId}`, { headers: members[0].auth })).status).toBe(200)
  })
})
