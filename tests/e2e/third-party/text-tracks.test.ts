import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser } from '../browser'

// hls.js and dash.js from their npm packages, on a page of another origin, read a video's own
// manifests: both list its caption tracks with their languages next to the content's streams.

const SCRIPTS: Record<string, string> = {
  '/hls.js': path.resolve('node_modules/hls.js/dist/hls.min.js'),
  '/dash.js': path.resolve('node_modules/dashjs/dist/modern/umd/dash.all.min.js'),
}
const PAGE =
  '<!doctype html><meta charset="utf-8"><title>third-party player</title><video id="v" muted playsinline></video><script src="/hls.js"></script><script src="/dash.js"></script>'

interface TrackInfo {
  lang: string
  name: string
}

// The libraries' own globals, driven from page scripts (typed loosely: only what the tests touch).
// biome-ignore lint/suspicious/noExplicitAny: see above
type Lib = any

let server: Server
let origin: string
let browser: Browser
let hls: string
let dash: string

beforeAll(async () => {
  const files = Object.fromEntries(await Promise.all(Object.entries(SCRIPTS).map(async ([k, f]) => [k, await readFile(f)] as const)))
  server = createServer((req, res) => {
    const script = files[req.url ?? '']
    if (script) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script)
    else if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const owner = await userWithKey()
  const created = await (
    await uploadMultipart(makeMp4('third-party-captions.mp4', { seconds: 4, seed: 181 }), { title: 'Tracks for everyone', visibility: 'public' }, owner.auth)
  ).json()
  expect((await waitForStatus(created.id, owner.auth, ['ready', 'failed'], 240_000)).status).toBe('ready')
  for (const [language, label] of [
    ['fr', 'Français'],
    ['es', 'Español'],
  ]) {
    const form = new FormData()
    form.set('language', language)
    form.set('label', label)
    form.set('file', new Blob([`WEBVTT\n\n00:00:00.500 --> 00:00:03.000\n${label}\n`]), 'subs.vtt')
    expect((await fetch(`${base()}/api/v1/videos/${created.id}/captions`, { method: 'POST', headers: owner.auth, body: form })).status).toBe(201)
  }
  const view = await (await fetch(`${base()}/api/v1/videos/${created.id}`)).json()
  hls = base() + view.playback.hls
  dash = base() + view.playback.dash
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await disconnectDb()
})

async function page(): Promise<Page> {
  const p = await browser.newPage()
  await p.goto(`${origin}/`)
  await p.waitForFunction(
    () => typeof (window as unknown as Record<string, unknown>).Hls === 'function' && typeof (window as unknown as Record<string, unknown>).dashjs === 'object',
  )
  return p
}

describe("third-party players read a video's text tracks", () => {
  it('hls.js lists the SUBTITLES group', async () => {
    const p = await page()
    try {
      const found = await p.evaluate(
        (url) =>
          new Promise<{ tracks: TrackInfo[]; levels: number; errors: string[] }>((resolve) => {
            const { Hls } = window as unknown as Record<string, Lib>
            const video = document.getElementById('v') as HTMLVideoElement
            const h = new Hls()
            const errors: string[] = []
            h.on(Hls.Events.ERROR, (_e: string, d: { fatal: boolean; details: string }) => {
              if (d.fatal) errors.push(d.details)
            })
            h.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (_e: string, d: { subtitleTracks: { lang: string; name: string }[] }) => {
              resolve({ tracks: d.subtitleTracks.map((t) => ({ lang: t.lang, name: t.name })), levels: h.levels.length, errors })
            })
            h.loadSource(url)
            h.attachMedia(video)
            setTimeout(() => resolve({ tracks: [], levels: 0, errors: [...errors, 'timeout'] }), 60_000)
          }),
        hls,
      )
      expect(found.errors).toEqual([])
      expect(found.levels).toBeGreaterThan(0)
      expect(found.tracks).toEqual([
        { lang: 'fr', name: 'Français' },
        { lang: 'es', name: 'Español' },
      ])
    } finally {
      await p.close()
    }
  })

  it('dash.js lists a text track per language', async () => {
    const p = await page()
    try {
      const found = await p.evaluate(
        (url) =>
          new Promise<{ tracks: TrackInfo[]; videoTracks: number; errors: string[] }>((resolve) => {
            const { dashjs } = window as unknown as Record<string, Lib>
            const player = dashjs.MediaPlayer().create()
            const errors: string[] = []
            player.on('error', (e: { error?: { message?: string } }) => errors.push(String(e.error?.message ?? 'error')))
            player.on('streamInitialized', () => {
              const text = player.getTracksFor('text') as { lang: string; labels?: { text: string }[] }[]
              resolve({
                tracks: text.map((t) => ({ lang: t.lang, name: t.labels?.[0]?.text ?? '' })),
                videoTracks: player.getTracksFor('video').length,
                errors,
              })
            })
            player.initialize(document.getElementById('v'), url, true)
            setTimeout(() => resolve({ tracks: [], videoTracks: 0, errors: [...errors, 'timeout'] }), 60_000)
          }),
        dash,
      )
      expect(found.errors).toEqual([])
      expect(found.videoTracks).toBe(1)
      expect(found.tracks.map((t) => t.lang).sort()).toEqual(['es', 'fr'])
      expect(found.tracks.find((t) => t.lang === 'fr')?.name).toBe('Français')
    } finally {
      await p.close()
    }
  })
})
