import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base } from '../api/client'
import { launchBrowser } from '../browser'
import { type TwoLanguageVideo, twoLanguageVideo } from '../two-languages'
import { expectAdvancing, until, wakeControls } from './helpers'

// The player on a video with two audio languages (processed by the worker): it starts on the viewer's
// language when the source marks both as default, and the audio menu switches VHS to the other
// language's rendition.

interface TrackState {
  label: string
  language: string
  enabled: boolean
}

const tracks = (page: Page): Promise<TrackState[]> =>
  page.evaluate(() => {
    const r = (window as unknown as { __reelhouse?: { player?: { player: { audioTracks(): ArrayLike<TrackState> } } } }).__reelhouse
    const list = r?.player?.player.audioTracks()
    return list ? Array.from({ length: list.length }, (_, i) => ({ label: list[i].label, language: list[i].language, enabled: list[i].enabled })) : []
  })

const enabledLanguage = async (page: Page) => (await tracks(page)).find((t) => t.enabled)?.language ?? null

let browser: Browser
let video: TwoLanguageVideo

beforeAll(async () => {
  video = await twoLanguageVideo()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await disconnectDb()
})

describe('audio languages in the player', () => {
  it('lists both languages in the video JSON', () => {
    expect(video.audioTracks).toEqual([
      { language: 'en', label: 'English', default: true },
      { language: 'fr', label: 'Français', default: true },
    ])
  })

  it('starts on the browser language, and the audio menu switches to the second track', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const fetched: string[] = []
    page.on('request', (req) => fetched.push(new URL(req.url()).pathname))
    await page.goto(`${base()}/videos/${video.id}`)
    await until(
      () => tracks(page),
      (t) => t.length === 2,
      30_000,
      'two audio tracks',
    )
    await until(
      () => enabledLanguage(page),
      (l) => l === 'en',
      10_000,
      'English enabled',
    )
    await expectAdvancing(page)
    expect(fetched.some((p) => p.endsWith(`/${video.playlists.en}`))).toBe(true)

    // Back to the start and paused, so the switch happens with media still ahead however slow the machine.
    await page.evaluate(() => {
      const v = document.querySelector('video')
      v?.pause()
      if (v) v.currentTime = 0.5
    })
    // The viewer opens video.js's audio menu and picks the second language.
    await wakeControls(page)
    const menu = page.locator('div.vjs-audio-button')
    await menu.getByRole('button', { name: 'Audio Track' }).click()
    const french = menu.getByRole('menuitemradio', { name: /Français/ })
    await french.click()
    await until(
      () => enabledLanguage(page),
      (l) => l === 'fr',
      10_000,
      'French enabled',
    )
    // VHS moved to the French rendition: its playlist and segments are fetched, and playback goes on.
    const frDir = `/streams/${video.playlists.fr.match(/media_(\d+)\.m3u8/)?.[1]}/`
    await until(
      async () => fetched.filter((p) => p.includes(frDir) && p.endsWith('.m4s')).length,
      (n) => n > 0,
      20_000,
      'French segments fetched',
    )
    expect(fetched.some((p) => p.endsWith(`/${video.playlists.fr}`))).toBe(true)
    await page.evaluate(() => document.querySelector('video')?.play())
    await expectAdvancing(page, 0.6)
    // The menu (rebuilt by video.js on the change, closed now) marks French as the current track.
    await expect(menu.locator('.vjs-menu-item', { hasText: 'Français' }).getAttribute('aria-checked')).resolves.toBe('true')
    await context.close()
  })

  it('starts on French for a French-speaking browser', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${base()}/videos/${video.id}`)
    await until(
      () => tracks(page),
      (t) => t.length === 2,
      30_000,
      'two audio tracks',
    )
    await until(
      () => enabledLanguage(page),
      (l) => l === 'fr',
      10_000,
      'French enabled',
    )
    await expectAdvancing(page)
    await context.close()
  })
})
