import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { userWithKey } from '../api/client'
import { launchBrowser, screenshot, signIn } from '../browser'
import { makeClip, seedContent, tempDir } from './fixtures'
import { until } from './helpers'

// Issue 13, bug 3: a failed or still-processing upload is its owner's (and the admins') only,
// in the gallery, the list API, the video API and the content bytes, even when marked Public.

describe('unfinished uploads are not public', () => {
  const base = inject('baseUrl')
  const tag = `vis${randomBytes(3).toString('hex')}`
  let browser: Browser
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let owner: Awaited<ReturnType<typeof userWithKey>>
  let other: Awaited<ReturnType<typeof userWithKey>>
  const ids = { failed: '', processing: '', ready: '' }
  let processingHash = ''

  beforeAll(async () => {
    tmp = await tempDir()
    owner = await userWithKey()
    other = await userWithKey()
    const dataDir = inject('dataDir')
    const readyHash = await seedContent(db, { clip: makeClip(path.join(tmp.dir, `ready-${tag}.mp4`), { seconds: 3 }), dataDir, state: 'STORED', seconds: 3 })
    processingHash = await seedContent(db, {
      clip: makeClip(path.join(tmp.dir, `processing-${tag}.mp4`), { seconds: 3, pattern: 'rgbtestsrc' }),
      dataDir,
      state: 'PROCESSING',
      seconds: 3,
    })
    // What a text file renamed .mp4 leaves behind: content the probe rejected.
    const failedHash = createHash('sha256').update(randomBytes(16)).digest('hex')
    await db.content.create({ data: { hash: failedHash, size: 42n, mime: 'video/mp4', state: 'FAILED', error: 'not a video: no streams found' } })
    const video = (title: string, contentHash: string) =>
      db.video.create({ data: { ownerId: owner.user.id, title: `${title} ${tag}`, visibility: 'PUBLIC', contentHash } }).then((v) => v.id)
    ids.failed = await video('Renamed text file', failedHash)
    ids.processing = await video('Still encoding', processingHash)
    ids.ready = await video('Finished clip', readyHash)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await disconnectDb()
    await tmp?.remove()
  })

  const listed = async (headers: Record<string, string> = {}, mine = false) => {
    const res = await fetch(`${base}/api/v1/videos?q=${tag}${mine ? '&mine=1' : ''}`, { headers })
    expect(res.status).toBe(200)
    return ((await res.json()) as { items: { id: string }[] }).items.map((v) => v.id).sort()
  }

  it('lists and serves only the finished video to anyone but the owner', async () => {
    expect(await listed()).toEqual([ids.ready])
    expect(await listed(other.auth)).toEqual([ids.ready])
    for (const id of [ids.failed, ids.processing]) {
      expect((await fetch(`${base}/api/v1/videos/${id}`)).status).toBe(404)
      expect((await fetch(`${base}/api/v1/videos/${id}`, { headers: other.auth })).status).toBe(404)
    }
    // Nor the bytes of the original while it is processing.
    expect([401, 404]).toContain((await fetch(`${base}/api/v1/content/${processingHash}/original`)).status)
    expect((await fetch(`${base}/api/v1/videos/${ids.ready}`)).status).toBe(200)
  })

  it('still shows the owner all three, with the reason of the failure', async () => {
    expect(await listed(owner.auth, true)).toEqual([ids.failed, ids.processing, ids.ready].sort())
    const failed = await (await fetch(`${base}/api/v1/videos/${ids.failed}`, { headers: owner.auth })).json()
    expect(failed).toMatchObject({ status: 'failed', error: 'not a video: no streams found' })
    const processing = await fetch(`${base}/api/v1/videos/${ids.processing}`, { headers: owner.auth })
    expect(processing.status).toBe(200)
  })

  it('keeps the gallery of anonymous visitors free of them; the owner and admins see them', async () => {
    const cards = async (page: import('playwright-core').Page) => {
      await page.goto(`${base}/?q=${tag}`)
      const grid = page.locator('[data-testid="gallery"] [data-video-id]')
      await until(
        () => grid.count(),
        (n) => n > 0,
        15_000,
        'the gallery cards',
      )
      return (await grid.evaluateAll((els) => els.map((e) => e.getAttribute('data-video-id')!))).sort()
    }
    const anonymous = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    expect(await cards(anonymous)).toEqual([ids.ready])
    await screenshot(anonymous, 'gallery-anonymous')
    const mine = await signIn(await browser.newContext({ viewport: { width: 1280, height: 800 } }), owner.user.email, 'password-123')
    expect(await cards(mine)).toEqual([ids.failed, ids.processing, ids.ready].sort())
    const admin = await signIn(await browser.newContext({ viewport: { width: 1280, height: 800 } }))
    expect(await cards(admin)).toEqual([ids.failed, ids.processing, ids.ready].sort())
  })
})
