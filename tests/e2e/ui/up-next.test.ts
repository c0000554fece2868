import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, screenshot } from '../browser'
import { makeClip, seedContent, seedVideo, tempDir } from './fixtures'
import { media, testDb, until } from './helpers'

// Up next, as a viewer meets it in Chromium: when a video ends, a 5 s countdown over the player
// opens the next video of the gallery's order unless cancelled (Esc or the Cancel button); the
// "Up next" list sits beside the player from 1280 px and below it on a phone.

const WIDE = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

let browser: Browser
let tmp: Awaited<ReturnType<typeof tempDir>>
let dbh: Awaited<ReturnType<typeof testDb>>
const run = `upnext${Date.now().toString(36)}`
const titles = ['First', 'Second', 'Third'].map((t) => `${t} ${run}`)

beforeAll(async () => {
  browser = await launchBrowser()
  tmp = await tempDir()
  dbh = await testDb()
  const dataDir = inject('dataDir')
  const now = Date.now()
  // Newest first: First, Second, Third (a search for the run's word shows only these).
  for (const [i, title] of titles.entries()) {
    const clip = makeClip(path.join(tmp.dir, `up-next-${i}.mp4`), { seconds: 4 })
    const hash = await seedContent(dbh.db, { clip, dataDir, state: 'STORED', seconds: 4 })
    await seedVideo(dbh.db, { hash, title, ownerEmail: inject('adminEmail'), createdAt: new Date(now - i * 60_000) })
  }
})

afterAll(async () => {
  await browser?.close()
  await tmp?.remove()
  await dbh?.disconnectDb()
})

async function openFirst(page: Page) {
  await page.goto(`${inject('baseUrl')}/?q=${run}`)
  await page.getByRole('link', { name: titles[0] }).first().click()
  await page.getByTestId('video-modal').waitFor()
  await until(
    () => media(page),
    (m) => !!m && m.readyState >= 2 && m.duration > 3,
    30_000,
    'the first video to load',
  )
}

/** Plays the last half second, so the video ends as if watched to the end. */
async function playToEnd(page: Page) {
  await page.evaluate(async () => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
    v.muted = true
    v.currentTime = Math.max(0, v.duration - 0.5)
    await v.play()
  })
}

const title = (page: Page) => page.getByTestId('modal-title').textContent()

describe('up next', () => {
  it('lists the next videos beside the player at 1280 px; a countdown opens the next one, Esc and Cancel stop it', async () => {
    const page = await browser.newPage({ viewport: WIDE })
    await openFirst(page)
    const list = page.getByTestId('up-next')
    await list.getByText(titles[1]).waitFor()
    const items = await list.locator('li').allTextContents()
    expect(items[0]).toContain(titles[1])
    expect(items[1]).toContain(titles[2])
    const player = (await page.getByTestId('player').boundingBox())!
    const aside = (await list.boundingBox())!
    expect(aside.x).toBeGreaterThanOrEqual(player.x + player.width - 1)

    // Esc cancels the countdown (and does not close the modal).
    await playToEnd(page)
    const countdown = page.getByTestId('up-next-countdown')
    await countdown.waitFor({ timeout: 20_000 })
    await expect(page.getByTestId('up-next-title').textContent()).resolves.toBe(titles[1])
    await screenshot(page, 'up-next-countdown-1280')
    await page.keyboard.press('Escape')
    await countdown.waitFor({ state: 'detached' })
    await page.waitForTimeout(6000)
    await expect(title(page)).resolves.toBe(titles[0])
    await expect(page.getByTestId('video-modal').isVisible()).resolves.toBe(true)

    // The Cancel button does the same.
    await playToEnd(page)
    await countdown.waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Cancel' }).click()
    await countdown.waitFor({ state: 'detached' })
    await page.waitForTimeout(6000)
    await expect(title(page)).resolves.toBe(titles[0])

    // Left alone, it counts down and opens the next video of the gallery's order.
    await playToEnd(page)
    await countdown.waitFor({ timeout: 20_000 })
    const shown = Number(await page.getByTestId('up-next-seconds').textContent())
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThanOrEqual(5)
    await until(
      () => title(page),
      (t) => t === titles[1],
      20_000,
      'the next video to open',
    )
    expect(page.url()).toMatch(/\/videos\/[^/]+$/)
    await until(
      () => media(page),
      (m) => !!m && m.t > 0.2 && !m.paused,
      20_000,
      'the next video to play',
    )
    await list.getByText(titles[2]).waitFor()
    await page.close()
  })

  it('puts the list below the player on a phone, and nothing overflows', async () => {
    const page = await browser.newPage({ viewport: PHONE })
    await openFirst(page)
    const list = page.getByTestId('up-next')
    await list.getByText(titles[1]).waitFor()
    const player = (await page.getByTestId('player').boundingBox())!
    const aside = (await list.boundingBox())!
    expect(aside.y).toBeGreaterThanOrEqual(player.y + player.height - 1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    await list.scrollIntoViewIfNeeded()
    await screenshot(page, 'up-next-390')
    await playToEnd(page)
    await page.getByTestId('up-next-countdown').waitFor({ timeout: 20_000 })
    await screenshot(page, 'up-next-countdown-390')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.close()
  })
})
