import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, screenshot, signIn } from '../browser'
import { makeClip, seedContent, seedVideo, tempDir } from './fixtures'
import { expectAdvancing, media, testDb, until } from './helpers'

// Issue 13, "share and embed": the modal's Share box copies a link (at the current time with
// `?t=`), the video page honours `?t=`, and the embed player plays inside another site's iframe
// (another port of 127.0.0.1) while a private video refuses to.

interface Site {
  origin: string
  setPage(html: string): void
  close(): Promise<void>
}

/** Somebody else's site: one page, whatever the test puts on it. */
async function startSite(): Promise<Site> {
  let page = ''
  const server: Server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setPage: (html) => {
      page = html
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const frameMedia = (frame: Frame) =>
  frame.evaluate(() => {
    const v = document.querySelector('video')
    return v ? { t: v.currentTime, paused: v.paused, muted: v.muted, readyState: v.readyState } : null
  })

describe('share and embed', () => {
  const base = inject('baseUrl')
  const run = Date.now().toString(36)
  let browser: Browser
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let dbh: Awaited<ReturnType<typeof testDb>>
  let site: Site
  const ids = { public: '', private: '' }

  beforeAll(async () => {
    tmp = await tempDir()
    dbh = await testDb()
    const clip = makeClip(path.join(tmp.dir, 'share.mp4'), { seconds: 20, pattern: 'smptebars' })
    const hash = await seedContent(dbh.db, { clip, dataDir: inject('dataDir'), state: 'STORED', seconds: 20 })
    ids.public = await seedVideo(dbh.db, { hash, title: `Shareable bars ${run}`, ownerEmail: inject('adminEmail') })
    ids.private = await seedVideo(dbh.db, { hash, title: `Private bars ${run}`, ownerEmail: inject('adminEmail') })
    await dbh.db.video.update({ where: { id: ids.private }, data: { visibility: 'PRIVATE' } })
    site = await startSite()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await dbh?.disconnectDb()
    await tmp?.remove()
  })

  describe('Share button', () => {
    let context: BrowserContext
    let page: Page
    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
      page = await signIn(context)
    })
    afterAll(() => context?.close())

    it('copies a link at the current time, and the link starts there', async () => {
      await page.goto(`${base}/videos/${ids.public}`)
      await page.getByTestId('video-modal').waitFor()
      await expectAdvancing(page)
      await page.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
        v.currentTime = 9.4
        v.pause()
      })
      await until(
        () => media(page),
        (m) => !!m && m.paused && Math.abs(m.t - 9.4) < 0.5,
        5000,
        'paused at 9.4 s',
      )
      await page.getByRole('button', { name: 'Share' }).click()
      const panel = page.getByTestId('share-panel')
      await panel.waitFor()
      await page.getByRole('button', { name: 'Copy link' }).click()
      const plain = await page.evaluate(() => navigator.clipboard.readText())
      expect(plain).toBe(`${base}/videos/${ids.public}`)
      await panel.getByLabel(/Start at 0:09/).check()
      await page.getByRole('button', { name: 'Copy link' }).click()
      await until(
        () => page.evaluate(() => navigator.clipboard.readText()),
        (t) => t.includes('?t='),
        3000,
        'the link with ?t=',
      )
      const link = await page.evaluate(() => navigator.clipboard.readText())
      expect(link).toBe(`${base}/videos/${ids.public}?t=9`)
      await page.getByRole('button', { name: 'Copy embed code' }).click()
      const embed = await page.evaluate(() => navigator.clipboard.readText())
      expect(embed).toContain(`<iframe src="${base}/embed/${ids.public}?t=9"`)
      await screenshot(page, 'share-1280')

      // The copied link, opened fresh, starts at 9 s.
      const other = await context.newPage()
      await other.goto(link)
      await other.getByTestId('video-modal').waitFor()
      const m = await until(
        () => media(other),
        (x) => !!x && x.readyState >= 2 && x.t > 1,
        15_000,
        'the shared start',
      )
      expect(m!.t).toBeGreaterThanOrEqual(8.9)
      expect(m!.t).toBeLessThan(13)
      await other.close()
    })

    it('offers no embed code for a private video', async () => {
      await page.goto(`${base}/videos/${ids.private}`)
      await page.getByTestId('video-modal').waitFor()
      await page.getByRole('button', { name: 'Share' }).click()
      await page.getByTestId('share-panel').waitFor()
      await expect(page.getByRole('button', { name: 'Copy embed code' }).count()).resolves.toBe(0)
    })
  })

  describe('embed on another site', () => {
    const iframePage = (id: string, query: string, style = 'width:640px;height:360px') =>
      `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>someone's blog</title>` +
      `<h1 style="font:16px sans-serif">A post with a video</h1><iframe id="player" src="${base}/embed/${id}${query}" style="border:0;${style}" allow="autoplay; fullscreen" allowfullscreen></iframe>`

    const embedFrame = async (page: Page): Promise<Frame> => {
      const handle = await page.waitForSelector('#player')
      const frame = await handle.contentFrame()
      if (!frame) throw new Error('no frame')
      return frame
    }

    it('plays muted from ?t= with autoplay, with no site chrome', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      try {
        site.setPage(iframePage(ids.public, '?autoplay=1&muted=1&t=4'))
        const res = await page.goto(site.origin)
        expect(res?.status()).toBe(200)
        const frame = await embedFrame(page)
        await frame.waitForSelector('[data-testid="embed"] video')
        const first = await until(
          () => frameMedia(frame),
          (m) => !!m && !m.paused && m.t > 4,
          20_000,
          'the embed to play from 4 s',
        )
        expect(first!.muted).toBe(true)
        expect(first!.t).toBeLessThan(9)
        await until(
          () => frameMedia(frame),
          (m) => !!m && m.t > first!.t + 0.5,
          10_000,
          'playback to advance',
        )
        // The player alone: no site header, no sign-in link.
        await expect(frame.locator('header').count()).resolves.toBe(0)
        await expect(frame.getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(0)
        const box = await (await page.$('#player'))!.boundingBox()
        const video = await frame.locator('[data-testid="player"]').boundingBox()
        expect(Math.round(video!.width)).toBe(Math.round(box!.width))
        await screenshot(page, 'embed-third-party-1280')
      } finally {
        await context.close()
      }
    })

    it('fits a 390 px phone page', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
      const page = await context.newPage()
      try {
        site.setPage(iframePage(ids.public, '?t=2', 'width:100%;aspect-ratio:16/9'))
        await page.goto(site.origin)
        const frame = await embedFrame(page)
        await frame.waitForSelector('[data-testid="embed"] video')
        await until(
          () => frameMedia(frame),
          (m) => !!m && m.readyState >= 2,
          20_000,
          'the embed to load',
        )
        // Not started (no autoplay): the poster frame with the big play button, as wide as the frame.
        const player = await frame.locator('[data-testid="player"]').boundingBox()
        const box = await (await page.$('#player'))!.boundingBox()
        expect(Math.round(player!.width)).toBe(Math.round(box!.width))
        expect(box!.width).toBeLessThanOrEqual(390)
        await frame.locator('.vjs-big-play-button').waitFor({ state: 'visible' })
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
        await screenshot(page, 'embed-third-party-390')
      } finally {
        await context.close()
      }
    })

    it('refuses a private video: no player, a notice', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      try {
        site.setPage(iframePage(ids.private, '?autoplay=1&muted=1'))
        await page.goto(site.origin)
        const frame = await embedFrame(page)
        await frame.getByTestId('embed-unavailable').waitFor()
        await expect(frame.locator('video').count()).resolves.toBe(0)
        await expect(frame.content()).resolves.not.toContain(`Private bars ${run}`)
      } finally {
        await context.close()
      }
    })

    it('lets any site frame the embed page only', async () => {
      const embed = await fetch(`${base}/embed/${ids.public}`)
      expect(embed.status).toBe(200)
      expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *')
      const watch = await fetch(`${base}/videos/${ids.public}`)
      expect(watch.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
      expect((await fetch(`${base}/embed/${ids.private}`)).status).toBe(404)
      expect((await fetch(`${base}/embed/no-such-video`)).status).toBe(404)
    })
  })
})
