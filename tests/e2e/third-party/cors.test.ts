import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser } from '../browser'

// A player on somebody else's site: hls.js from its npm package, on a page served from another
// port of 127.0.0.1 (another origin), playing streams of the running app in Chromium. The partner
// site is listed in the app's CORS_ORIGINS (see the e2e set-up); the stranger's site is not.

declare global {
  interface Window {
    Hls: {
      new (): {
        on(event: string, cb: (event: string, data: { details: string; fatal: boolean }) => void): void
        loadSource(url: string): void
        attachMedia(video: HTMLVideoElement): void
      }
      Events: { ERROR: string }
    }
    hlsErrors: string[]
  }
}

const HLS_DIST = path.resolve('node_modules/hls.js/dist/hls.min.js')
const PAGE = '<!doctype html><meta charset="utf-8"><title>partner player</title><video id="v" muted playsinline></video><script src="/hls.js"></script>'

interface Site {
  origin: string
  close(): Promise<void>
}

/** A tiny static site: the page and hls.js, nothing else. */
async function startSite(port = 0): Promise<Site> {
  const hls = await readFile(HLS_DIST)
  const server: Server = createServer((req, res) => {
    if (req.url === '/hls.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(hls)
    else if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let browser: Browser
let partner: Site
let stranger: Site
let publicHls: string
let publicContent: string
let privateHls: string

beforeAll(async () => {
  const owner = await userWithKey()
  const uploads = await Promise.all([
    uploadMultipart(makeMp4('public.mp4', { seconds: 6, size: '640x360', seed: 311 }), { title: 'Shared far and wide', visibility: 'public' }, owner.auth),
    uploadMultipart(makeMp4('private.mp4', { seconds: 6, size: '640x360', seed: 312 }), { title: 'For partners', visibility: 'private' }, owner.auth),
  ])
  const [pub, priv] = (await Promise.all(uploads.map((r) => r.json()))) as { id: string }[]
  for (const id of [pub.id, priv.id]) expect((await waitForStatus(id, owner.auth, ['ready', 'failed'], 240_000)).status).toBe('ready')
  const view = await (await fetch(`${base()}/api/v1/videos/${pub.id}`, { headers: owner.auth })).json()
  // The video's own master playlist (its captions added), naming the content's stored files.
  publicHls = base() + view.playback.hls
  publicContent = `${base()}/api/v1/content/${view.contentHash}/`
  expect(publicHls).not.toContain('/t/')
  const minted = await (await fetch(`${base()}/api/v1/videos/${priv.id}/playback-token`, { method: 'POST', headers: owner.auth })).json()
  privateHls = base() + minted.urls.hls

  partner = await startSite(Number(new URL(inject('partnerOrigin')).port))
  expect(partner.origin).toBe(inject('partnerOrigin'))
  stranger = await startSite()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await partner?.close()
  await stranger?.close()
  await disconnectDb()
})

async function pageOn(site: Site): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${site.origin}/`)
  await page.waitForFunction(() => typeof window.Hls === 'function')
  return page
}

/** Plays `src` with hls.js until 1.5 s of media have played; returns hls.js's fatal errors. */
async function playWithHlsJs(page: Page, src: string): Promise<string[]> {
  await page.evaluate((url) => {
    const video = document.getElementById('v') as HTMLVideoElement
    const hls = new window.Hls()
    window.hlsErrors = []
    hls.on(window.Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) window.hlsErrors.push(data.details)
    })
    hls.loadSource(url)
    hls.attachMedia(video)
    void video.play().catch(() => {})
  }, src)
  await page.waitForFunction(() => (document.getElementById('v') as HTMLVideoElement).currentTime > 1.5 || window.hlsErrors.length > 0, undefined, {
    timeout: 90_000,
  })
  return page.evaluate(() => window.hlsErrors)
}

/** What the page's own script sees when it fetches `url` (a TypeError when CORS refuses it). */
function fetchFromPage(page: Page, url: string, range?: string) {
  return page.evaluate(
    async ({ url, range }) => {
      try {
        const res = await fetch(url, range ? { headers: { Range: range } } : {})
        await res.arrayBuffer()
        return { ok: true, status: res.status, contentRange: res.headers.get('content-range'), etag: res.headers.get('etag') }
      } catch (err) {
        return { ok: false, error: String(err) }
      }
    },
    { url, range },
  )
}

describe('third-party web players (CORS)', () => {
  it('hls.js on a site the app has never heard of plays a public stream', async () => {
    const page = await pageOn(stranger)
    try {
      expect(await playWithHlsJs(page, publicHls)).toEqual([])
      const playing = await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).currentTime)
      expect(playing).toBeGreaterThan(1.5)
    } finally {
      await page.close()
    }
  })

  it("lets that page's script read ranges and their headers, also after a Range preflight", async () => {
    const page = await pageOn(stranger)
    try {
      const segment = `${publicContent}streams/0/init.m4s`
      // A single range is a CORS-safelisted header: no preflight, but Content-Range must be exposed.
      const simple = await fetchFromPage(page, segment, 'bytes=0-99')
      expect(simple).toMatchObject({ ok: true, status: 206 })
      expect(simple.contentRange).toMatch(/^bytes 0-99\/\d+$/)
      expect(simple.etag).toBeTruthy()
      // Two ranges are not: the browser asks with OPTIONS first and goes on only if we allow Range.
      const preflighted = await fetchFromPage(page, segment, 'bytes=0-9, 20-29')
      expect(preflighted).toMatchObject({ ok: true, status: 206 })
    } finally {
      await page.close()
    }
  })

  it('plays a private stream by its token URL on the partner site only', async () => {
    const onPartner = await pageOn(partner)
    try {
      expect(await playWithHlsJs(onPartner, privateHls)).toEqual([])
    } finally {
      await onPartner.close()
    }
    const onStranger = await pageOn(stranger)
    try {
      const refused = await fetchFromPage(onStranger, privateHls)
      expect(refused.ok).toBe(false)
      expect(refused.error).toMatch(/TypeError/)
    } finally {
      await onStranger.close()
    }
  })
})
