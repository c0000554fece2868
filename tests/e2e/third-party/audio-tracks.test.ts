import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base } from '../api/client'
import { launchBrowser } from '../browser'
import { type TwoLanguageVideo, twoLanguageVideo } from '../two-languages'
import { until } from '../ui/helpers'

// Other players read our manifests as the standards say: hls.js (the HLS audio group) and dash.js (one
// audio AdaptationSet per language) in Chromium both list the two languages and switch to the second.
// The page sits on the app's own origin (answered by the browser, not the app), next to the stream.

const LIBS = {
  hls: path.resolve('node_modules/hls.js/dist/hls.min.js'),
  dash: path.resolve('node_modules/dashjs/dist/modern/umd/dash.all.min.js'),
}

interface Listed {
  tracks: { language: string; name: string }[]
  current: string | null
}

/** What the page's script sees (the libraries' globals and what the test reads back). */
interface PageGlobals {
  listed?: Listed
  switched?: string
  failure?: string
  hls?: InstanceType<PageGlobals['Hls']>
  Hls: new () => {
    on(event: string, cb: (event: string, data: Record<string, unknown>) => void): void
    loadSource(url: string): void
    attachMedia(video: HTMLVideoElement): void
    audioTracks: { lang?: string; name: string }[]
    audioTrack: number
  }
  dashjs: {
    MediaPlayer(): {
      create(): {
        initialize(video: HTMLVideoElement, url: string, autoPlay: boolean): void
        on(event: string, cb: (e: Record<string, unknown>) => void): void
        getTracksFor(type: string): { lang: string; labels?: { text: string }[] }[]
        getCurrentTrackFor(type: string): { lang: string } | null
        setCurrentTrack(track: unknown): void
      }
    }
  }
}

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

async function playerPage(lib: keyof typeof LIBS): Promise<Page> {
  const page = await browser.newPage()
  const script = await readFile(LIBS[lib])
  await page.route(`${base()}/__player/${lib}.js`, (r) => r.fulfill({ contentType: 'text/javascript', body: script }))
  await page.route(`${base()}/__player/`, (r) =>
    r.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video><script src="/__player/${lib}.js"></script>`,
    }),
  )
  await page.goto(`${base()}/__player/`)
  return page
}

async function waitFor<T>(page: Page, fn: () => T, what: string): Promise<NonNullable<T>> {
  const handle = await page.waitForFunction(fn, undefined, { timeout: 30_000 }).catch(async () => {
    throw new Error(`${what}: ${await page.evaluate(() => (window as unknown as PageGlobals).failure ?? 'no answer')}`)
  })
  return (await handle.jsonValue()) as NonNullable<T>
}

describe('third-party players list both audio languages', () => {
  it('hls.js', async () => {
    const page = await playerPage('hls')
    await page.evaluate((url) => {
      const w = window as unknown as PageGlobals
      const hls = new w.Hls()
      hls.on('hlsError', (_, d) => {
        if (d.fatal) w.failure = String(d.details)
      })
      w.hls = hls
      hls.on('hlsAudioTracksUpdated', () => {
        w.listed = { tracks: hls.audioTracks.map((t) => ({ language: t.lang ?? '', name: t.name })), current: null }
      })
      hls.on('hlsAudioTrackSwitched', (_, d) => {
        w.switched = hls.audioTracks[Number(d.id)]?.lang
      })
      hls.loadSource(url)
      hls.attachMedia(document.querySelector('video') as HTMLVideoElement)
    }, video.hls)
    const listed = await waitFor(page, () => (window as unknown as PageGlobals).listed, 'hls.js audio tracks')
    expect(listed.tracks).toEqual([
      { language: 'en', name: 'English' },
      { language: 'fr', name: 'Français' },
    ])
    // hls.js starts on the master's DEFAULT=YES: the first of the tracks the source marks default.
    await expect(waitFor(page, () => (window as unknown as PageGlobals).switched, 'hls.js first audio track')).resolves.toBe('en')
    await page.evaluate(() => {
      const hls = (window as unknown as PageGlobals).hls
      if (hls) hls.audioTrack = hls.audioTracks.findIndex((t) => t.lang === 'fr')
    })
    await until(
      () => page.evaluate(() => (window as unknown as PageGlobals).switched),
      (lang) => lang === 'fr',
      30_000,
      'hls.js switch to French',
    )
    await page.close()
  })

  it('dash.js', async () => {
    const page = await playerPage('dash')
    await page.evaluate((url) => {
      const w = window as unknown as PageGlobals
      const player = w.dashjs.MediaPlayer().create()
      player.on('error', (e) => {
        w.failure = JSON.stringify(e.error ?? e)
      })
      player.on('streamInitialized', () => {
        const audio = player.getTracksFor('audio')
        w.listed = {
          tracks: audio.map((t) => ({ language: t.lang, name: t.labels?.[0]?.text ?? '' })),
          current: player.getCurrentTrackFor('audio')?.lang ?? null,
        }
        player.setCurrentTrack(audio.find((t) => t.lang === 'fr'))
      })
      player.on('currentTrackChanged', (e) => {
        const track = e.newMediaInfo as { type?: string; lang?: string } | undefined
        if (track?.type === 'audio') w.switched = track.lang
      })
      player.initialize(document.querySelector('video') as HTMLVideoElement, url, false)
    }, video.dash)
    const listed = await waitFor(page, () => (window as unknown as PageGlobals).listed, 'dash.js audio tracks')
    expect(listed.tracks.map((t) => t.language)).toEqual(['en', 'fr'])
    expect(listed.current).toBe('en')
    await expect(waitFor(page, () => (window as unknown as PageGlobals).switched, 'dash.js switch')).resolves.toBe('fr')
    await page.close()
  })
})
