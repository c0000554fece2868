import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { launchBrowser, screenshot, signIn } from '../browser'
import { makeClip, seedContent, seedVideo, tempDir } from './fixtures'
import { expectAdvancing, media, testDb, until } from './helpers'

// Issue 13, "resume where I left off": a reopened video starts where the viewer left it (server
// side when signed in, local storage otherwise) unless they finished it; the gallery offers
// "Continue watching"; /me/history lists, removes and clears.

const SECONDS = 30

describe('resume and watch history', () => {
  const base = inject('baseUrl')
  const run = Date.now().toString(36)
  let browser: Browser
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let dbh: Awaited<ReturnType<typeof testDb>>
  let viewer: { id: string; email: string }
  const ids = { long: '', other: '' }

  beforeAll(async () => {
    tmp = await tempDir()
    dbh = await testDb()
    const dataDir = inject('dataDir')
    const clip = makeClip(path.join(tmp.dir, 'resume.mp4'), { seconds: SECONDS, pattern: 'testsrc' })
    const hash = await seedContent(dbh.db, { clip, dataDir, state: 'STORED', seconds: SECONDS })
    ids.long = await seedVideo(dbh.db, { hash, title: `Half an hour of test card ${run}`, ownerEmail: inject('adminEmail') })
    ids.other = await seedVideo(dbh.db, { hash, title: `The same card again ${run}`, ownerEmail: inject('adminEmail') })
    const email = `resume-${run}@e2e.test`
    viewer = { id: (await createUser({ email, password: 'resume-password-1' })).id, email }
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await dbh?.disconnectDb()
    await tmp?.remove()
  })

  const open = async (page: Page, id: string) => {
    await page.goto(`${base}/videos/${id}`)
    await page.getByTestId('video-modal').waitFor()
  }
  const seek = (page: Page, s: number) =>
    page.evaluate((to) => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
      v.currentTime = to
      void v.play()
    }, s)
  const saved = (videoId: string) => dbh.db.watchProgress.findUnique({ where: { userId_videoId: { userId: viewer.id, videoId } } })
  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

  describe('signed in', () => {
    let context: BrowserContext
    let page: Page
    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      page = await signIn(context, viewer.email, 'resume-password-1')
    })
    afterAll(() => context?.close())

    it('plays to 20 s, reloads, and resumes at about 20 s', async () => {
      await open(page, ids.long)
      await expectAdvancing(page)
      await seek(page, 20)
      // The seek is reported at once; playing on, the page hide reports the later position.
      await until(
        () => saved(ids.long),
        (r) => (r?.positionMs ?? 0) >= 20_000,
        10_000,
        'the position to be saved',
      )
      await until(
        () => media(page),
        (m) => !!m && m.t > 21 && !m.paused,
        10_000,
        'playback past 21 s',
      )
      await page.reload()
      await page.getByTestId('video-modal').waitFor()
      const resumed = await until(
        () => media(page),
        (m) => !!m && m.readyState >= 2 && m.t > 1,
        15_000,
        'the player to resume',
      )
      expect(resumed!.t).toBeGreaterThanOrEqual(19.5)
      expect(resumed!.t).toBeLessThan(26)
      await expectAdvancing(page, resumed!.t)
    })

    it('starts over a video watched to the end (the last 5 %)', async () => {
      await seek(page, SECONDS - 1)
      await until(
        () => saved(ids.long),
        (r) => (r?.positionMs ?? 0) >= (SECONDS - 1.2) * 1000,
        15_000,
        'the end to be saved',
      )
      await page.reload()
      await page.getByTestId('video-modal').waitFor()
      const m = await until(
        () => media(page),
        (x) => !!x && x.readyState >= 2,
        15_000,
        'the player to load',
      )
      expect(m!.t).toBeLessThan(3)
      // Leave it part-watched again for the gallery and history below.
      await seek(page, 12)
      await until(
        () => saved(ids.long),
        (r) => (r?.positionMs ?? 0) >= 12_000 && (r?.positionMs ?? 0) < 20_000,
        10_000,
        'the new position',
      )
      await page.keyboard.press('Escape')
      await page.waitForURL(`${base}/`)
    })

    it('shows "Continue watching" on the gallery, which resumes the video', async () => {
      await open(page, ids.other)
      await expectAdvancing(page)
      await seek(page, 8)
      await until(
        () => saved(ids.other),
        (r) => (r?.positionMs ?? 0) >= 8000,
        10_000,
        'the second position',
      )
      await page.keyboard.press('Escape')
      await page.goto(base)
      const row = page.getByTestId('continue-watching')
      await row.waitFor()
      const cards = row.locator('[data-watched-id]')
      await expect(cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-watched-id')))).resolves.toEqual([ids.other, ids.long])
      const bar = cards.first().getByRole('progressbar')
      const pct = Number(await bar.getAttribute('aria-valuenow'))
      expect(pct).toBeGreaterThanOrEqual(25)
      expect(pct).toBeLessThan(40)
      await screenshot(page, 'gallery-continue-watching-1280')
      await row.locator(`[data-watched-id="${ids.long}"]`).click()
      await page.waitForURL(`**/videos/${ids.long}`)
      const m = await until(
        () => media(page),
        (x) => !!x && x.readyState >= 2 && x.t > 1,
        15_000,
        'the player to resume',
      )
      expect(m!.t).toBeGreaterThanOrEqual(11.5)
      await page.keyboard.press('Escape')
    })

    it('lists the history with progress bars, removes one entry and clears the rest', async () => {
      await page.goto(`${base}/me/history`)
      const list = page.getByTestId('history')
      await list.waitFor()
      await expect(list.locator('[data-watched-id]').count()).resolves.toBe(2)
      await expect(list.getByRole('progressbar').count()).resolves.toBe(2)
      await screenshot(page, 'history-1280')
      await page.getByRole('button', { name: `Remove The same card again ${run} from history` }).click()
      await until(
        () => list.locator('[data-watched-id]').count(),
        (n) => n === 1,
        5000,
        'one entry left',
      )
      expect(await saved(ids.other)).toBeNull()
      page.once('dialog', (d) => void d.accept())
      await page.getByRole('button', { name: 'Clear history' }).click()
      await page.getByTestId('history-empty').waitFor()
      expect(await saved(ids.long)).toBeNull()
      await page.goto(base)
      await page.getByTestId('gallery').waitFor()
      await expect(page.getByTestId('continue-watching').count()).resolves.toBe(0)
      // Cleared: the video starts from the beginning.
      await open(page, ids.long)
      const m = await until(
        () => media(page),
        (x) => !!x && x.readyState >= 2,
        15_000,
        'the player to load',
      )
      expect(m!.t).toBeLessThan(3)
    })

    it('fits a 390 px phone: gallery row and history', async () => {
      await seek(page, 15)
      await until(
        () => saved(ids.long),
        (r) => (r?.positionMs ?? 0) >= 15_000,
        10_000,
        'a position',
      )
      await page.keyboard.press('Escape')
      const phone = await context.newPage()
      await phone.setViewportSize({ width: 390, height: 844 })
      await phone.goto(base)
      await phone.getByTestId('continue-watching').waitFor()
      expect(await noHorizontalScroll(phone)).toBe(true)
      await screenshot(phone, 'gallery-continue-watching-390')
      await phone.goto(`${base}/me/history`)
      await phone.getByTestId('history').waitFor()
      expect(await noHorizontalScroll(phone)).toBe(true)
      const card = await phone.getByTestId('history').locator('[data-watched-id]').first().boundingBox()
      expect(card!.width).toBeGreaterThan(300)
      await screenshot(phone, 'history-390')
      await phone.close()
    })
  })

  it('resumes anonymous viewers from this browser', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    try {
      await open(page, ids.other)
      await expectAdvancing(page)
      await seek(page, 20)
      await until(
        () => media(page),
        (m) => !!m && m.t > 20.5,
        10_000,
        'playback past 20.5 s',
      )
      await page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!.pause())
      await until(
        () => page.evaluate((id) => localStorage.getItem(`reelhouse:progress:${id}`), ids.other),
        (v) => !!v && JSON.parse(v).positionMs >= 20_000,
        5000,
        'the position in local storage',
      )
      await page.reload()
      await page.getByTestId('video-modal').waitFor()
      const m = await until(
        () => media(page),
        (x) => !!x && x.readyState >= 2 && x.t > 1,
        15_000,
        'the player to resume',
      )
      expect(m!.t).toBeGreaterThanOrEqual(19.5)
      expect(m!.t).toBeLessThan(24)
      // Nothing went to the server for an anonymous viewer.
      expect(await dbh.db.watchProgress.count({ where: { videoId: ids.other } })).toBe(0)
    } finally {
      await context.close()
    }
  })
})
