import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser, screenshot } from '../browser'
import { until } from './helpers'

// The modal player with captions and chapters, on a video the real worker packaged: video.js
// text tracks from the video's own master playlist, the captions menu, the remembered choice,
// `?captions=`, and chapter marks on the progress bar.

interface TrackState {
  kind: string
  language: string
  label: string
  mode: string
  cues: number
}

const FR = 'WEBVTT\n\n00:00:00.000 --> 00:00:08.000\nBonjour, voici les sous-titres\n'
const DE = 'WEBVTT\n\n00:00:00.000 --> 00:00:08.000\nHallo, das sind Untertitel\n'

function tracks(page: Page): Promise<TrackState[]> {
  return page.evaluate(() => {
    type Track = { kind: string; language: string; label: string; mode: string; cues: { length: number } | null }
    const el = document.querySelector('[data-testid="video-modal"] .video-js') as
      | (Element & { player?: { textTracks(): { length: number; [i: number]: Track } } })
      | null
    const list = el?.player?.textTracks()
    if (!list) return []
    return Array.from({ length: list.length }, (_, i) => list[i]).map((t) => ({
      kind: t.kind,
      language: t.language,
      label: t.label,
      mode: t.mode,
      cues: t.cues?.length ?? 0,
    }))
  })
}

const showing = (ts: TrackState[]) => ts.filter((t) => (t.kind === 'subtitles' || t.kind === 'captions') && t.mode === 'showing')
const captionText = (page: Page) => page.evaluate(() => document.querySelector('[data-testid="video-modal"] .vjs-text-track-display')?.textContent ?? '')

describe('captions and chapters in the player', () => {
  let browser: Browser
  let videoId: string

  beforeAll(async () => {
    const owner = await userWithKey()
    const created = await (
      await uploadMultipart(makeMp4('captioned.mp4', { seconds: 8, size: '640x360', seed: 171 }), { title: 'Captioned clip', visibility: 'public' }, owner.auth)
    ).json()
    videoId = created.id
    expect((await waitForStatus(videoId, owner.auth, ['ready', 'failed'], 240_000)).status).toBe('ready')
    for (const [body, language] of [
      [FR, 'fr'],
      [DE, 'de'],
    ]) {
      const form = new FormData()
      form.set('language', language)
      form.set('file', new Blob([body]), `${language}.vtt`)
      expect((await fetch(`${base()}/api/v1/videos/${videoId}/captions`, { method: 'POST', headers: owner.auth, body: form })).status).toBe(201)
    }
    const chapters = [
      { startMs: 0, title: 'Opening' },
      { startMs: 3000, title: 'The middle part' },
      { startMs: 6000, title: 'Ending' },
    ]
    const put = await fetch(`${base()}/api/v1/videos/${videoId}/chapters`, {
      method: 'PUT',
      headers: { ...owner.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ chapters }),
    })
    expect(put.status).toBe(200)
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('shows the ?captions= language, switches in the captions menu and remembers the choice', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    try {
      await page.goto(`${base()}/videos/${videoId}?captions=fr`)
      const fr = await until(
        () => tracks(page),
        (ts) => showing(ts).some((t) => t.language === 'fr' && t.cues > 0),
        60_000,
        'the French track showing with its cues',
      )
      expect(fr.filter((t) => t.kind === 'subtitles').map((t) => t.language)).toEqual(expect.arrayContaining(['fr', 'de']))
      expect(fr.some((t) => t.kind === 'chapters')).toBe(true)
      await page.evaluate(() => void document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')?.play())
      await until(
        () => captionText(page),
        (t) => t.includes('Bonjour'),
        30_000,
        'the French cue on screen',
      )
      await screenshot(page, 'captions-1280')

      // The viewer picks German in video.js's captions menu.
      await page.hover('[data-testid="video-modal"] .video-js')
      await page.click('[data-testid="video-modal"] .vjs-subs-caps-button button')
      await page.locator('[data-testid="video-modal"] .vjs-subs-caps-button .vjs-menu-item', { hasText: 'Deutsch' }).click()
      await until(
        () => tracks(page),
        (ts) => showing(ts).length === 1 && showing(ts)[0].language === 'de',
        10_000,
        'German showing alone',
      )
      // Back inside the cue (the clip may have ended meanwhile).
      await page.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')
        if (v) v.currentTime = 2
      })
      await until(
        () => captionText(page),
        (t) => t.includes('Hallo'),
        30_000,
        'the German cue on screen',
      )
      expect(await page.evaluate(() => localStorage.getItem('reelhouse:captions'))).toBe('de')

      // Next visit, no parameter: the remembered language.
      await page.goto(`${base()}/videos/${videoId}`)
      await until(
        () => tracks(page),
        (ts) => showing(ts).some((t) => t.language === 'de'),
        60_000,
        'German showing again',
      )
    } finally {
      await context.close()
    }
  })

  it('marks the chapters on the progress bar, names the one under the pointer and lists them in a menu', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    const page = await context.newPage()
    try {
      await page.goto(`${base()}/videos/${videoId}?captions=fr`)
      await until(
        () => tracks(page),
        (ts) => showing(ts).some((t) => t.language === 'fr'),
        60_000,
        'the French track showing',
      )
      await page.evaluate(() => void document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')?.play())
      await until(
        () => captionText(page),
        (t) => t.includes('Bonjour'),
        30_000,
        'the French cue on screen',
      )
      await until(
        () => page.locator('[data-testid="chapter-mark"]').count(),
        (n) => n === 2,
        30_000,
        'two chapter marks (the first chapter starts at 0)',
      )
      // video.js's chapters menu lists the chapters track's cues.
      await until(
        () => page.locator('[data-testid="video-modal"] .vjs-chapters-button .vjs-menu-item').allTextContents(),
        (items) => ['Opening', 'The middle part', 'Ending'].every((title) => items.some((i) => i.includes(title))),
        30_000,
        'the chapters menu',
      )
      await screenshot(page, 'captions-390')
    } finally {
      await context.close()
    }
    // The title under the pointer: a desktop pointer over the second chapter.
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page2 = await desktop.newPage()
    try {
      await page2.goto(`${base()}/videos/${videoId}`)
      await until(
        () => page2.locator('[data-testid="chapter-mark"]').count(),
        (n) => n === 2,
        60_000,
        'chapter marks',
      )
      // The control bar shows once playback started and the pointer is over the player.
      await page2.evaluate(() => void document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')?.play())
      await page2.waitForSelector('[data-testid="video-modal"] .video-js.vjs-has-started')
      await page2.hover('[data-testid="video-modal"] .video-js')
      await page2.waitForSelector('[data-testid="video-modal"] .vjs-progress-holder', { state: 'visible' })
      const bar = await page2.locator('[data-testid="video-modal"] .vjs-progress-holder').boundingBox()
      expect(bar).toBeTruthy()
      // Each probe moves the pointer across the bar to its middle (which also keeps the controls awake).
      await until(
        async () => {
          await page2.mouse.move(bar!.x + bar!.width * 0.2, bar!.y + bar!.height / 2)
          await page2.mouse.move(bar!.x + bar!.width * 0.5, bar!.y + bar!.height / 2, { steps: 5 })
          return page2
            .locator('[data-testid="chapter-title"]')
            .textContent({ timeout: 1000 })
            .catch(() => null)
        },
        (t) => t === 'The middle part',
        20_000,
        'the chapter title',
      )
      await screenshot(page2, 'chapters-hover-1280')
    } finally {
      await desktop.close()
    }
  })
})
