import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser, screenshot, signIn } from '../browser'
import { media, until } from './helpers'

// Poster choice as an owner makes it: "Use this frame as poster" in the player renders that frame
// on the worker (the poster's bytes and URL change, its size stays the poster's), and My videos
// picks one of the generated thumbnails. The API refuses times outside the video, other users and
// bad bodies.

interface VideoJson {
  status: string
  durationMs: number
  playback: { poster: string | null; thumbnails: string[] }
}

let browser: Browser
let owner: Awaited<ReturnType<typeof userWithKey>>
let videoId = ''
let tmp = ''

const readVideo = async (id = videoId): Promise<VideoJson> => (await fetch(`${base()}/api/v1/videos/${id}`, { headers: owner.auth })).json()
const bytesOf = async (url: string) => Buffer.from(await (await fetch(url.startsWith('http') ? url : `${base()}${url}`, { headers: owner.auth })).arrayBuffer())

/** Width and height of a JPEG, read by ffprobe. */
async function sizeOf(bytes: Buffer): Promise<string> {
  const file = path.join(tmp, `probe-${Math.random().toString(36).slice(2)}.jpg`)
  await writeFile(file, bytes)
  return execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim()
}

const put = (body: unknown, headers: Record<string, string> = owner.auth, id = videoId) =>
  fetch(`${base()}/api/v1/videos/${id}/poster`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rh-poster-'))
  browser = await launchBrowser()
  owner = await userWithKey('USER')
  const res = await uploadMultipart(
    makeMp4('poster-choice.mp4', { seconds: 6, size: '640x360', seed: 913 }),
    { title: 'Poster choice clip', visibility: 'public' },
    owner.auth,
  )
  expect(res.status).toBe(201)
  videoId = ((await res.json()) as { id: string }).id
  await waitForStatus(videoId, owner.auth, ['ready'], 180_000)
})

afterAll(async () => {
  await browser?.close()
  await rm(tmp, { recursive: true, force: true })
  await disconnectDb()
})

describe('choosing the poster', () => {
  it('refuses times outside the video, bad bodies, other users and anonymous callers', async () => {
    const { durationMs } = await readVideo()
    for (const body of [
      { atMs: durationMs },
      { atMs: durationMs + 60_000 },
      { atMs: -1 },
      { atMs: 1.5 },
      {},
      { atMs: 10, thumbnailIndex: 1 },
      { thumbnailIndex: 0 },
      { thumbnailIndex: 42 },
      { atMs: '100' },
    ]) {
      const res = await put(body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    const other = await userWithKey('USER')
    expect((await put({ atMs: 100 }, other.auth)).status).toBe(403)
    expect((await put({ atMs: 100 }, {})).status).toBe(401)
    expect((await put({ atMs: 100 }, owner.auth, 'no-such-video')).status).toBe(404)
    expect((await readVideo()).playback.poster).toMatch(/\/thumbs\/poster\.jpg$/)
  })

  let context: BrowserContext
  it('"Use this frame as poster" renders the frame at the player\'s time: new bytes, new URL, the poster\'s size', async () => {
    const before = (await readVideo()).playback.poster!
    const beforeBytes = await bytesOf(before)
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await signIn(context, owner.user.email, 'password-123')
    await page.goto(`${inject('baseUrl')}/videos/${videoId}`)
    await until(
      () => media(page),
      (m) => !!m && m.readyState >= 2,
      30_000,
      'the player to load',
    )
    // Pause at a moment well away from the generated poster's (10 % in).
    await page.evaluate(async () => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')!
      v.pause()
      v.currentTime = 4.2
      await new Promise((r) => v.addEventListener('seeked', r, { once: true }))
    })
    await page.getByRole('button', { name: 'Use this frame as poster' }).click()
    await page.getByRole('status').filter({ hasText: 'Poster updated.' }).waitFor({ timeout: 90_000 })
    await screenshot(page, 'poster-from-frame-1280')

    const after = (await readVideo()).playback.poster!
    expect(after).not.toBe(before)
    expect(after).toMatch(/\/frames\/at-4\d{3}\.jpg$/)
    const afterBytes = await bytesOf(after)
    expect(afterBytes.equals(beforeBytes)).toBe(false)
    expect(await sizeOf(afterBytes)).toBe(await sizeOf(beforeBytes))
    // The gallery shows the new poster too.
    const list = await (await fetch(`${base()}/api/v1/videos?mine=true`, { headers: owner.auth })).json()
    expect(list.items.find((i: { id: string }) => i.id === videoId).poster).toBe(after)
  })

  it('My videos picks a generated thumbnail as the poster', async () => {
    const page = await context.newPage()
    await page.goto(`${inject('baseUrl')}/me/videos`)
    const row = page.locator(`#v-${videoId}`)
    await row.getByRole('button', { name: 'Change poster' }).click()
    await row.getByTestId('poster-picker').waitFor()
    await screenshot(page, 'poster-picker-1280')
    await row.getByRole('button', { name: 'Thumbnail 2 as poster' }).click()
    await row.getByRole('status').filter({ hasText: 'Poster changed.' }).waitFor({ timeout: 30_000 })
    const { playback } = await readVideo()
    expect(playback.poster).toBe(playback.thumbnails[1])
    await expect(row.locator('a img').getAttribute('src')).resolves.toBe(playback.poster)
    expect((await bytesOf(playback.poster!)).equals(await bytesOf(playback.thumbnails[1]))).toBe(true)
    await context.close()
  })
})
