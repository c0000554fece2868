import { createHash, randomBytes } from 'node:crypto'
import { statfs } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApiKey } from '@/lib/auth/api-keys'
import { db, disconnectDb } from '@/lib/db'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser, screenshot, signIn } from '../browser'
import { expectAdvancing, until } from '../ui/helpers'

// Issue 13, bug 7: what the admin pages say must match what happened: bytes served after
// playback, the disk bar as df reads it, the log card of a running session, a readable
// timeline, owners by email, and the webhooks and API-keys tables within a 1280 px window.

let browser: Browser
let page: Page
const tag = randomBytes(3).toString('hex')

/** A RUNNING session no live worker owns (its lease is a phantom's), with two timeline events. */
async function runningSession() {
  const owner = await db.user.findFirstOrThrow({ where: { email: inject('adminEmail') } })
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  await db.content.create({ data: { hash, size: 1000n, mime: 'video/mp4', state: 'PROCESSING' } })
  await db.video.create({ data: { ownerId: owner.id, title: `Running ${tag}`, contentHash: hash, visibility: 'PRIVATE' } })
  return db.transcodeSession.create({
    data: {
      contentHash: hash,
      state: 'RUNNING',
      attempt: 1,
      startedAt: new Date(),
      progress: 0.42,
      leaseOwner: 'readouts-phantom-worker',
      leaseExpiresAt: new Date(Date.now() + 3600_000),
      events: {
        create: [
          { type: 'SessionStarted', data: { attempt: 1, worker: 'readouts-phantom-worker', fallback: false } },
          { type: 'ProgressUpdate', data: { progress: 0.42, percent: 42, encodeSpeed: 2.4, segmentsReady: 5, segmentsTotal: 12 } },
        ],
      },
    },
  })
}

beforeAll(async () => {
  browser = await launchBrowser()
  page = await signIn(await browser.newContext({ viewport: { width: 1280, height: 800 } }))
})
afterAll(async () => {
  await browser?.close()
  await disconnectDb()
})

describe('admin readouts', () => {
  it('counts the bytes a player was served, and shows the disk as df does', async () => {
    const { auth } = await userWithKey()
    const created = await (
      await uploadMultipart(makeMp4(`served-${tag}.mp4`, { seconds: 6, seed: 77 }), { title: `Served ${tag}`, visibility: 'public' }, auth)
    ).json()
    expect((await waitForStatus(created.id, auth, ['ready', 'failed'])).status).toBe('ready')
    const viewer = await (await browser.newContext()).newPage()
    await viewer.goto(`${base()}/videos/${created.id}`)
    await viewer.getByTestId('video-modal').waitFor()
    await expectAdvancing(viewer, 1.5, 20_000)
    await viewer.close()

    await page.goto(`${base()}/admin`)
    const served = page.getByTestId('stat-bytes')
    const text = await until(
      () => served.textContent(),
      (t) => !!t && !/\b0 B since start/.test(t),
      20_000,
      'bytes served since start',
    )
    expect(text).toMatch(/since start/)

    const fs = await statfs(inject('dataDir'))
    const usedShare = (fs.blocks - fs.bfree) / (fs.blocks - fs.bfree + fs.bavail)
    const bar = page.getByTestId('stat-disk').getByRole('progressbar')
    const shown = Number(await bar.getAttribute('aria-valuenow'))
    expect(Math.abs(shown - usedShare * 100), `disk bar ${shown} % vs df ${Math.round(usedShare * 100)} %`).toBeLessThanOrEqual(3)
    await expect(page.getByTestId('stat-disk').textContent()).resolves.toMatch(/Disk used.*free/)
    await screenshot(page, 'admin-1280')
  })

  it('does not call a running session "not run", and reads its timeline as text', async () => {
    const session = await runningSession()
    await page.goto(`${base()}/admin/sessions/${session.id}`)
    const log = page.getByTestId('session-log')
    await until(
      () => log.textContent(),
      (t) => !!t && !t.includes('Loading'),
      10_000,
      'the log card',
    )
    const logText = (await log.textContent())!
    expect(logText).not.toContain('has not run')
    expect(logText).toContain('running')
    const timeline = page.getByTestId('session-timeline')
    await page.locator('[data-event-type="ProgressUpdate"]').waitFor()
    const progress = (await page.locator('[data-event-type="ProgressUpdate"]').textContent())!
    expect(progress).toContain('42 %')
    expect(progress).toContain('2.40× realtime')
    expect(await timeline.textContent()).not.toMatch(/[{}"]/)
    await screenshot(page, 'admin-session-running')
  })

  it('shows owners by email, and the webhooks and API-keys tables fit a 1280 px window', async () => {
    const url = `https://hooks.example.com/reelhouse/${tag}/a-rather-long-path-that-people-paste/with/segments?token=${'x'.repeat(24)}`
    const admin = await db.user.findFirstOrThrow({ where: { email: inject('adminEmail') } })
    await db.webhook.create({
      data: { ownerId: admin.id, url, secret: `whsec_${randomBytes(16).toString('hex')}`, events: ['video.ready', 'video.failed', 'session.failed'] },
    })
    await createApiKey(admin.id, { name: `Readouts ${tag}`, scopes: ['read', 'write', 'admin'] })
    for (const path of ['/admin/webhooks', '/admin/api-keys']) {
      await page.goto(`${base()}${path}`)
      const owner = page.getByTestId('owner-name').first()
      await until(
        () => owner.textContent(),
        (t) => !!t?.includes(inject('adminEmail')),
        10_000,
        `the owner's email on ${path}`,
      )
      const fit = await page.evaluate(() => {
        const wrap = document.querySelector('table')!.parentElement!
        return { scroll: wrap.scrollWidth, client: wrap.clientWidth, page: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }
      })
      expect(fit.scroll, `${path}: the table is wider than its box`).toBeLessThanOrEqual(fit.client)
      expect(fit.page).toBeLessThanOrEqual(fit.width)
      await screenshot(page, `admin${path.replace('/admin', '').replace('/', '-')}-1280`)
    }
  })
})
