import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, screenshot, signIn } from '../browser'
import { LARGE_VIDEO_BYTES } from '@/lib/player/source'
import { makeClip, seedContent, seedVideo, tempDir } from './fixtures'
import { expectAdvancing, media, playerStats, testDb, until, wakeControls } from './helpers'

// The gallery and the modal player against states seeded directly (independent of the worker):
// packaged (`ready`) videos for ABR, a `processing` original for direct streaming, a large
// fragmented original for chunked MSE streaming, and enough videos to scroll and paginate.

const TITLES = [
  'Morning ride through the hills',
  'Harbour at dusk, time-lapse',
  'Test card calibration',
  'Kitchen: sourdough in 90 seconds',
  'Rooftop rain',
  'Night market walk',
  'Drone over the quarry',
  'Unboxing the old synthesizer',
  'Coastal path, windy day',
  'Studio session, take 3',
  'Snow on the tram lines',
  'Garden birds at the feeder',
  'Lecture: range requests explained',
  'Street football final',
  'Lighthouse keeper interview',
  'Ferry crossing',
  'Color bars reference',
  'Bridge construction week 12',
  'Cat versus laser pointer',
  'Sunrise over the estuary',
  'Marathon finish line',
  'Workshop: hand-cut dovetails',
  'City lights from the hill',
  'Late train home',
  'Fireworks over the river',
  'Skatepark mornings',
  'Pottery wheel basics',
  'Autumn forest drone',
]

describe('gallery and modal player (seeded states)', () => {
  const base = inject('baseUrl')
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let dbh: Awaited<ReturnType<typeof testDb>>
  const ids: Record<string, string> = {}
  const run = Date.now().toString(36)
  const pageErrors: string[] = []

  beforeAll(async () => {
    tmp = await tempDir()
    dbh = await testDb()
    const dataDir = inject('dataDir')
    const owner = inject('adminEmail')
    const clips = {
      bars: makeClip(path.join(tmp.dir, 'bars.mp4'), { seconds: 6, pattern: 'smptehdbars' }),
      pattern: makeClip(path.join(tmp.dir, 'pattern.mp4'), { seconds: 16 }),
      fractal: makeClip(path.join(tmp.dir, 'fractal.mp4'), { seconds: 6, pattern: 'mandelbrot' }),
      processing: makeClip(path.join(tmp.dir, 'processing.mp4'), { seconds: 8, size: '854x480', pattern: 'rgbtestsrc' }),
      large: makeClip(path.join(tmp.dir, 'large.mp4'), { seconds: 24, bitrate: '9M', fragmented: true, pattern: 'testsrc', grain: true }),
    }
    expect((await stat(clips.large)).size).toBeGreaterThan(LARGE_VIDEO_BYTES)
    const content = (clip: string, state: 'STORED' | 'PROCESSING', seconds: number, size?: [number, number]) =>
      seedContent(dbh.db, { clip, dataDir, state, seconds, width: size?.[0], height: size?.[1] })
    const hashes = {
      bars: await content(clips.bars, 'STORED', 6),
      pattern: await content(clips.pattern, 'STORED', 16),
      fractal: await content(clips.fractal, 'STORED', 6),
      processing: await content(clips.processing, 'PROCESSING', 8, [854, 480]),
      large: await content(clips.large, 'PROCESSING', 24),
    }
    // Fillers first (older), then the videos the tests open (newest, at the top of the grid).
    const t0 = Date.now() - 3600_000
    const sources = [hashes.bars, hashes.pattern, hashes.fractal]
    for (let i = 0; i < TITLES.length; i++) {
      ids[`filler${i}`] = await seedVideo(dbh.db, {
        hash: sources[i % 3],
        title: `${TITLES[i]} ${run}`,
        ownerEmail: owner,
        views: (i * 37) % 500,
        createdAt: new Date(t0 + i * 60_000),
      })
    }
    const video = (hash: string, title: string, minutesAgo: number, extra: { views?: number; description?: string } = {}) =>
      seedVideo(dbh.db, { hash, title: `${title} ${run}`, ownerEmail: owner, createdAt: new Date(Date.now() - minutesAgo * 60_000), ...extra })
    ids.popular = await video(hashes.fractal, 'Most watched', 4, { views: 1_000_000 })
    ids.large = await video(hashes.large, 'Large fragmented original', 3)
    ids.processing = await video(hashes.processing, 'Still processing', 2, { description: 'Uploaded a moment ago.' })
    ids.editable = await video(hashes.bars, 'Editable clip', 30)
    ids.ready = await video(hashes.pattern, 'Adaptive test pattern', 1, {
      views: 42,
      description: 'A 16 second test pattern, packaged as CMAF HLS in two rungs (360p, 180p), with a storyboard.',
    })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await signIn(context)
    page.on('pageerror', (err) => pageErrors.push(err.message))
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await dbh?.disconnectDb()
    await tmp?.remove()
  })

  it('shows a grid of cards with posters, durations and status, and loads more on scroll', async () => {
    await page.goto(base)
    const cards = page.locator('[data-testid="gallery"] [data-video-id]')
    await cards.first().waitFor()
    expect(await cards.count()).toBe(24)
    const first = page.locator(`[data-video-id="${ids.ready}"]`)
    await expect(first.getAttribute('data-status')).resolves.toBe('ready')
    await expect(first.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true)
    await expect(page.locator(`[data-video-id="${ids.processing}"]`).textContent()).resolves.toContain('Processing')
    await screenshot(page, 'gallery')
    // The next page comes from the public list API, with the cursor of the first.
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/videos' && new URL(r.url()).searchParams.has('cursor'))
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    expect((await listed).status()).toBe(200)
    await until(
      () => cards.count(),
      (n) => n > 24,
      10_000,
      'the next page',
    )
  })

  it('searches on the server and sorts by views', async () => {
    await page.goto(base)
    await page.getByLabel('Search videos').fill(`sourdough in 90 seconds ${run}`)
    await page.waitForURL((u) => u.searchParams.get('q') !== null)
    await until(
      () => page.locator('[data-testid="gallery"] [data-video-id]').count(),
      (n) => n === 1,
      10_000,
      'one result',
    )
    await expect(page.locator('[data-testid="gallery"] h3').first().textContent()).resolves.toContain('sourdough')
    await page.getByLabel('Search videos').fill(`no such video ${run}`)
    await page.getByTestId('gallery-empty').waitFor()
    await page.goto(base)
    await page.getByRole('button', { name: 'Most viewed' }).click()
    await page.waitForURL(/sort=views/)
    await until(
      () => page.locator('[data-testid="gallery"] [data-video-id]').first().getAttribute('data-video-id'),
      (id) => id === ids.popular,
      10_000,
      'most viewed first',
    )
  })

  it('plays a packaged video over HLS: quality menu, storyboard, deep link, Esc', async () => {
    await page.goto(base)
    await page.locator(`[data-video-id="${ids.ready}"]`).click()
    await page.waitForURL(`**/videos/${ids.ready}`)
    await page.getByTestId('video-modal').waitFor()
    await expectAdvancing(page)
    await until(
      () => playerStats(page),
      (s) => s?.source === 'abr',
      5000,
      'ABR source',
    )

    // Quality: Auto plus both rungs; choosing 180p makes VHS switch rendition.
    await wakeControls(page)
    await page.getByRole('button', { name: /^Quality/ }).click()
    const items = page.getByRole('menuitemradio')
    await expect(items.allTextContents()).resolves.toEqual([expect.stringContaining('Auto'), expect.stringContaining('360p'), expect.stringContaining('180p')])
    await items.filter({ hasText: '180p' }).click()
    await until(
      () => playerStats(page),
      (s) => s?.selectedQuality === 180,
      10_000,
      'VHS to select the 180p playlist',
    )
    // Play from near the start again so the new rendition is what decodes (also when the clip ran out meanwhile).
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
      v.currentTime = 1
      void v.play()
    })
    await until(
      () => media(page),
      (m) => m?.height === 180,
      20_000,
      'the 180p rendition',
    )
    await expect(page.getByRole('button', { name: /^Quality/ }).textContent()).resolves.toContain('180p')

    // Storyboard preview while hovering the progress bar.
    // The first move wakes the (auto-hidden) control bar; the next ones land on the progress bar.
    await wakeControls(page)
    const bar = page.locator('.vjs-progress-control')
    const box = (await bar.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2)
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 })
    await page.getByTestId('storyboard-preview').waitFor({ timeout: 5000 })
    await screenshot(page, 'modal')

    // Keyboard: arrows seek, m mutes (and the volume is remembered).
    const before = (await media(page))!.t
    await page.keyboard.press('ArrowLeft')
    await until(
      () => media(page),
      (m) => !!m && m.t < before,
      3000,
      'seek back with ArrowLeft',
    )
    await page.keyboard.press('m')
    await until(
      () => page.evaluate(() => localStorage.getItem('reelhouse:volume')),
      (v) => !!v?.includes('"muted":true'),
      3000,
      'the mute to be remembered',
    )
    await page.keyboard.press('m')

    // Deep link: the same URL reloads into the modal over the gallery.
    await page.reload()
    await page.getByTestId('video-modal').waitFor()
    await expect(page.getByTestId('modal-title').textContent()).resolves.toContain('Adaptive test pattern')
    await expectAdvancing(page)
    await page.keyboard.press('Escape')
    await page.waitForURL(`${base}/`)
    await expect(page.getByTestId('video-modal').count()).resolves.toBe(0)
    await expect(page.getByRole('heading', { name: 'Gallery' }).isVisible()).resolves.toBe(true)
    // Disposed with the modal: no media element, no live player object left behind.
    await expect(page.locator('video').count()).resolves.toBe(0)
    await expect(page.evaluate(() => Object.keys((window as unknown as { __reelhouse?: object }).__reelhouse ?? {}))).resolves.not.toContain('player')
  })

  it('streams a processing original directly, seeks, keeps the scroll position, steps to the next video', async () => {
    await page.goto(base)
    const target = page.locator(`[data-video-id="${ids.filler20}"]`)
    // Other tests' videos may come first: scroll (loading further pages) until the card is there.
    for (let i = 0; i < 20 && (await target.count()) === 0; i++) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
      await page.waitForTimeout(500)
    }
    await target.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollBy(0, 150))
    const scrollY = await page.evaluate(() => window.scrollY)
    expect(scrollY).toBeGreaterThan(300)

    await target.click()
    await page.getByTestId('video-modal').waitFor()
    await page.getByRole('button', { name: 'Next video' }).click()
    await page.waitForURL(`**/videos/${ids.filler19}`)
    await expect(page.getByTestId('modal-title').textContent()).resolves.toContain(TITLES[19])
    await page.getByRole('button', { name: 'Previous video' }).click()
    await page.waitForURL(`**/videos/${ids.filler20}`)
    await page.getByRole('button', { name: 'Close' }).click()
    await page.waitForURL(`${base}/`)
    await expect(page.evaluate(() => window.scrollY)).resolves.toBe(scrollY)

    await page.evaluate(() => window.scrollTo(0, 0))
    await page.locator(`[data-video-id="${ids.processing}"]`).click()
    await page.getByTestId('processing-overlay').waitFor()
    await expectAdvancing(page)
    await until(
      () => playerStats(page),
      (s) => s?.source === 'direct',
      5000,
      'direct source',
    )
    const m = (await media(page))!
    expect(m.height).toBe(480)
    const mid = m.duration / 2
    await page.evaluate((t) => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
      v.currentTime = t
    }, mid)
    await until(
      () => media(page),
      (s) => !!s && s.t > mid + 0.3 && s.t < mid + 3 && !s.paused,
      8000,
      'playback to resume near the seek target',
    )
    await page.keyboard.press('Escape')
    await page.waitForURL(`${base}/`)
  })

  it('streams a large fragmented MP4 through VideoStreamManager, and falls back to direct without MediaSource', async () => {
    await page.goto(`${base}/videos/${ids.large}`)
    await page.getByTestId('video-modal').waitFor()
    await until(
      () => playerStats(page),
      (s) => s?.source === 'chunked',
      10_000,
      'chunked source',
    )
    await expectAdvancing(page)
    const chunks = await page.evaluate(() => {
      const r = (
        window as unknown as { __reelhouse: { chunkManager: { getStats(): { completedRequests: number; peakConcurrency: number; bytesLoaded: number } } } }
      ).__reelhouse
      return r.chunkManager.getStats()
    })
    expect(chunks.completedRequests).toBeGreaterThan(2)
    expect(chunks.peakConcurrency).toBeLessThanOrEqual(3)
    // Seek into the part not fetched yet: the stream restarts at the target's fragment.
    await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
      v.currentTime = 17
    })
    await until(
      () => media(page),
      (s) => !!s && s.t > 17.3 && s.t < 21 && !s.paused,
      10_000,
      'playback after a seek beyond the buffer',
    )
    const vsm = await page.evaluate(() => {
      const r = (window as unknown as { __reelhouse: { videoStreamManager: { getStats(): { seeks: number; state: string } } } }).__reelhouse
      return r.videoStreamManager.getStats()
    })
    expect(vsm.seeks).toBeGreaterThanOrEqual(1)
    expect(vsm.state).toMatch(/open|complete/)

    const noMse = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await noMse.addInitScript(() => {
      for (const name of ['MediaSource', 'ManagedMediaSource', 'WebKitMediaSource']) {
        Object.defineProperty(window, name, { value: undefined, configurable: true, writable: true })
      }
    })
    const p2 = await signIn(noMse)
    await p2.goto(`${base}/videos/${ids.large}`)
    await p2.getByTestId('video-modal').waitFor()
    await until(
      () => playerStats(p2),
      (s) => s?.source === 'direct',
      10_000,
      'direct fallback',
    )
    await expectAdvancing(p2)
    await noMse.close()
  })

  it('joins its personal room and obeys remote pause, seek and play', async () => {
    await page.goto(`${base}/videos/${ids.ready}`)
    await page.getByTestId('video-modal').waitFor()
    await expectAdvancing(page)
    const roomId = await until(
      () => page.evaluate(() => (window as unknown as { __reelhouse?: { commands?: { roomId: string | null } } }).__reelhouse?.commands?.roomId ?? null),
      (id) => !!id,
      10_000,
      'the personal room',
    )
    // Sent from the page itself: a cookie-authenticated change must come from this site's pages.
    const command = async (body: Record<string, unknown>) => {
      const res = await page.evaluate(
        async ({ url, body }) => {
          const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
          return { status: r.status, text: await r.text() }
        },
        { url: `/api/v1/rooms/${roomId}/commands`, body },
      )
      expect(res.status, res.text).toBe(200)
    }
    await command({ type: 'pause' })
    await until(
      () => media(page),
      (m) => !!m?.paused,
      5000,
      'the remote pause',
    )
    await command({ type: 'seek', positionMs: 9000 })
    await until(
      () => media(page),
      (m) => !!m && Math.abs(m.t - 9) < 0.5,
      5000,
      'the remote seek',
    )
    await command({ type: 'play' })
    await expectAdvancing(page, 9)
    await page.keyboard.press('Escape')
    await page.waitForURL(`${base}/`)
  })

  it('edits and deletes on My videos', async () => {
    await page.goto(`${base}/me/videos`)
    const row = page.locator('[data-testid="my-video"]').filter({ has: page.locator(`a[href="/videos/${ids.editable}"]`) })
    await row.waitFor()
    await screenshot(page, 'my-videos')
    await row.getByLabel('Title').fill(`Renamed clip ${run}`)
    await row.getByLabel('Visibility').selectOption('UNLISTED')
    await row.getByRole('button', { name: 'Save' }).click()
    await row.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    const view = (await (await page.request.get(`${base}/api/v1/videos/${ids.editable}`)).json()) as { title: string; visibility: string }
    expect(view).toMatchObject({ title: `Renamed clip ${run}`, visibility: 'UNLISTED' })
    await row.getByRole('button', { name: 'Delete' }).click()
    await row.getByRole('button', { name: 'Yes, delete' }).click()
    await row.waitFor({ state: 'detached' })
    expect((await page.request.get(`${base}/api/v1/videos/${ids.editable}`)).status()).toBe(404)
  })

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([])
  })

  it('looks right in the dark theme too', async () => {
    await page.goto(base)
    await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click()
    const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
    if (!dark) await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    await page.locator(`[data-video-id="${ids.ready}"]`).click()
    await page.getByTestId('video-modal').waitFor()
    await expectAdvancing(page)
    await screenshot(page, 'modal-dark')
    await page.keyboard.press('Escape')
    await page.waitForURL(`${base}/`)
    await screenshot(page, 'gallery-dark')
    await page.evaluate(() => localStorage.removeItem('reelhouse:theme'))
  })
})
