import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, screenshot, signIn } from '../browser'
import { createUser } from '@/lib/auth/users'
import { makeClip, seedContent, seedVideo, tempDir } from './fixtures'
import { expectAdvancing, media, playerStats, testDb, until, wakeControls } from './helpers'

// Issue 13, bugs 2, 4, 5, 6, 7 (favicon) and 8, as a viewer meets them in Chromium: Auto quality
// that climbs, pages that fit a phone, the backdrop that closes the modal, a 404 with a way home,
// and a bad file on the upload page.

const PHONES = [
  { width: 390, height: 844 },
  { width: 360, height: 740 },
]

/** Elements sticking out of the viewport on the right, for a readable failure. */
function overflow(page: Page): Promise<{ scrollWidth: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const offenders: string[] = []
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const r = el.getBoundingClientRect()
      if (r.width > 0 && r.right > width + 1 && !el.closest('.overflow-x-auto, .overflow-auto, .sr-only')) {
        offenders.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${Math.round(r.right)}`)
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5) }
  })
}

async function expectFits(page: Page, what: string) {
  const width = page.viewportSize()!.width
  const o = await overflow(page)
  expect(o, `${what} at ${width} px`).toEqual({ scrollWidth: width, offenders: [] })
}

describe('viewer bugs of issue 13', () => {
  const base = inject('baseUrl')
  let browser: Browser
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let dbh: Awaited<ReturnType<typeof testDb>>
  let hdId = ''
  let smallId = ''
  const run = Date.now().toString(36)

  beforeAll(async () => {
    tmp = await tempDir()
    dbh = await testDb()
    const dataDir = inject('dataDir')
    // A 1080p source packaged as the pipeline's ladder would be: 1080p, 720p and 360p.
    const hd = await seedContent(dbh.db, {
      clip: makeClip(path.join(tmp.dir, 'hd.mp4'), { seconds: 12, size: '1920x1080' }),
      dataDir,
      state: 'STORED',
      seconds: 12,
      width: 1920,
      height: 1080,
      rungs: [
        { name: '1080p', height: 1080, bitrate: 4_000_000 },
        { name: '720p', height: 720, bitrate: 2_500_000 },
        { name: '360p', height: 360, bitrate: 700_000 },
      ],
    })
    hdId = await seedVideo(dbh.db, { hash: hd, title: `Full HD test card ${run}`, ownerEmail: inject('adminEmail') })
    const small = await seedContent(dbh.db, {
      clip: makeClip(path.join(tmp.dir, 'small.mp4'), { seconds: 8, pattern: 'smptebars' }),
      dataDir,
      state: 'STORED',
      seconds: 8,
    })
    smallId = await seedVideo(dbh.db, { hash: small, title: `Phone layout clip ${run}`, ownerEmail: inject('adminEmail') })
    // Real data is wider than fixtures: a long email, endpoint URL, key name and unbroken titles.
    const wide = await createUser({ email: `someone-with-a-long-address-${run}@example.test`, password: 'password-123', name: 'A fairly long display name' })
    await dbh.db.webhook.create({
      data: { ownerId: wide.id, url: `https://receiver.example.com/hooks/reelhouse/${'x'.repeat(60)}`, secret: 'whsec_x', events: ['video.ready'] },
    })
    await dbh.db.apiKey.create({
      data: { userId: wide.id, name: 'a key with a rather long name for testing', prefix: 'rh_wide', hash: `wide-${run}`, scopes: ['read'] },
    })
    for (let i = 0; i < 3; i++) await seedVideo(dbh.db, { hash: small, title: `Averyveryverylongtitlewithoutanyspaces${i}${run}`, ownerEmail: wide.email })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await dbh?.disconnectDb()
    await tmp?.remove()
  })

  it('Auto climbs to the rendition the player size needs (≥ 720p in a 1280 px window), and stays small on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${base}/videos/${hdId}`)
    await page.getByTestId('video-modal').waitFor()
    await expectAdvancing(page)
    const reached = await until(
      () => media(page),
      (m) => (m?.height ?? 0) >= 720,
      30_000,
      'a rendition of at least 720p',
    )
    expect(reached!.height).toBeGreaterThanOrEqual(720)
    console.log(
      `Auto reached ${reached!.height}p at ${reached!.t.toFixed(1)} s of media; quality levels: ${JSON.stringify((await playerStats(page))?.qualityLevels)}`,
    )
    await screenshot(page, 'player-1280-auto')
    await context.close()

    const phone = await browser.newContext({ viewport: PHONES[0], deviceScaleFactor: 1 })
    const small = await phone.newPage()
    await small.goto(`${base}/videos/${hdId}`)
    await small.getByTestId('video-modal').waitFor()
    await expectAdvancing(small, 2, 30_000)
    expect((await media(small))!.height).toBeLessThan(1080)
    await phone.close()
  })

  it('closes the modal on a click on the backdrop', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(base)
    await page.locator(`[data-video-id="${smallId}"]`).click()
    await page.waitForURL(`**/videos/${smallId}`)
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    const box = (await dialog.boundingBox())!
    expect(box.x).toBeGreaterThan(40)
    await page.mouse.click(box.x / 2, box.y + box.height / 2)
    await page.waitForURL(`${base}/`)
    await until(
      () => page.getByTestId('video-modal').count(),
      (n) => n === 0,
      5000,
      'the modal to close',
    )
    await context.close()
  })

  it('answers an unknown video and page with a styled 404 that leads home, and has a favicon', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    for (const url of [`${base}/videos/no-such-video-${run}`, `${base}/no/such/page`]) {
      const res = await page.goto(url)
      expect(res?.status()).toBe(404)
      await expect(page.getByTestId('status-page').getAttribute('data-code')).resolves.toBe('404')
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('does not exist')
    }
    await screenshot(page, 'not-found')
    await page.getByRole('link', { name: 'Back to the gallery' }).click()
    await page.waitForURL(`${base}/`)
    await page.getByTestId('gallery').waitFor()
    const icon = await fetch(`${base}/favicon.ico`)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toMatch(/image\//)
    await context.close()
  })

  for (const viewport of PHONES) {
    it(`fits a ${viewport.width} px phone: header, search, gallery, player controls, upload, my videos, admin`, async () => {
      const anon = await browser.newContext({ viewport, isMobile: true, hasTouch: true })
      const anonPage = await anon.newPage()
      await anonPage.goto(base)
      await anonPage.getByTestId('gallery').waitFor()
      await expectFits(anonPage, 'the gallery (signed out)')
      await anon.close()

      const context: BrowserContext = await browser.newContext({ viewport, isMobile: true, hasTouch: true })
      const page = await signIn(context)
      await page.getByTestId('gallery').waitFor()
      await expectFits(page, 'the gallery (signed in)')
      const search = (await page.getByLabel('Search videos').boundingBox())!
      expect(search.width).toBeGreaterThan(viewport.width * 0.7)
      if (viewport.width === 390) await screenshot(page, 'gallery-390')

      await page.goto(`${base}/videos/${smallId}`)
      await page.getByTestId('video-modal').waitFor()
      await expectAdvancing(page)
      await wakeControls(page)
      const player = (await page.getByTestId('player').boundingBox())!
      const progress = (await page.locator('.vjs-progress-control').boundingBox())!
      const fullscreen = (await page.locator('.vjs-fullscreen-control').boundingBox())!
      expect(progress.width, 'the progress bar takes the room').toBeGreaterThan(player.width * 0.5)
      expect(fullscreen.x + fullscreen.width, 'fullscreen inside the player').toBeLessThanOrEqual(player.x + player.width + 0.5)
      expect(fullscreen.width).toBeGreaterThan(20)
      await expectFits(page, 'the player modal')
      if (viewport.width === 390) await screenshot(page, 'player-390')

      // A connected player, as on any live instance: the overview lists it with its buffer bar.
      const watcher = await context.newPage()
      await watcher.goto(`${base}/videos/${smallId}`)
      await expectAdvancing(watcher)
      for (const pathname of ['/upload', '/me/videos', '/admin', '/admin/sessions', '/admin/players', '/admin/videos', '/admin/api-keys', '/admin/webhooks']) {
        await page.goto(`${base}${pathname}`)
        await page.waitForLoadState('networkidle')
        if (pathname === '/admin') await page.getByTestId('players-health').getByRole('progressbar').first().waitFor()
        await expectFits(page, pathname)
        if (viewport.width === 390 && (pathname === '/upload' || pathname === '/admin')) await screenshot(page, `${pathname.slice(1).replace('/', '-')}-390`)
      }
      await context.close()
    })
  }

  it('a bad file never promises the original, offers no "Open video" after failing, and can be removed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await signIn(context)
    await page.goto(`${base}/upload`)
    const bad = path.join(tmp.dir, `notes-${run}.mp4`)
    await writeFile(bad, 'These are my meeting notes, not a video.\n'.repeat(200))
    await page.setInputFiles('input[type="file"]', bad)
    const item = page.getByTestId('upload-item')
    await item.getByRole('button', { name: 'Upload' }).click()

    // Until the server has said no, neither the promise nor the link may show up.
    const seen = new Set<string>()
    const settled = await until(
      async () => {
        const text = (await item.textContent()) ?? ''
        if (/watch the original/i.test(text)) seen.add('watch the original')
        if ((await item.getByRole('link', { name: 'Open video' }).count()) > 0) seen.add('Open video')
        const phase = await item.getAttribute('data-phase')
        const status = await item
          .getByTestId('processing')
          .getAttribute('data-status', { timeout: 100 })
          .catch(() => null)
        return phase === 'error' || status === 'failed' ? { phase, status } : null
      },
      (s) => s !== null,
      120_000,
      'the upload or its processing to fail',
    )
    expect([...seen]).toEqual([])
    await screenshot(page, 'upload-bad-file')
    console.log(`the bad file ended as ${JSON.stringify(settled)}`)
    await item.getByRole('button', { name: 'Remove' }).click()
    await until(
      () => page.getByTestId('upload-item').count(),
      (n) => n === 0,
      5000,
      'the item to leave the list',
    )
    // A failed video is not left behind in My videos either.
    const mine = () =>
      page.request.get(`${base}/api/v1/videos?mine=1&q=${encodeURIComponent(`notes ${run}`)}`).then((r) => r.json() as Promise<{ items: unknown[] }>)
    await until(mine, (m) => m.items.length === 0, 10_000, 'the failed video to be deleted')
    await context.close()
  })
})
