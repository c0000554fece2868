import { createHash, randomBytes } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { db, disconnectDb } from '@/lib/db'
import { cancelSession } from '@/lib/sessions/actions'
import { base, makeMp4, uploadMultipart, userWithKey } from '../api/client'
import { launchBrowser, screenshot, signIn } from '../browser'

// An admin in Chromium: the health monitor, then retrying a failed session and cancelling a
// running one from the dashboard, watching states change without reloading the page.

let browser: Browser
let context: BrowserContext
let page: Page

/** A session in `state` for a fresh private video. A RUNNING one holds a lease no live worker owns, so nothing claims it. */
async function sessionIn(state: 'FAILED' | 'RUNNING', title: string) {
  const owner = await db.user.findFirstOrThrow({ where: { email: inject('adminEmail') } })
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  await db.content.create({ data: { hash, size: 1000n, mime: 'video/mp4', state: state === 'FAILED' ? 'FAILED' : 'PROCESSING' } })
  await db.video.create({ data: { ownerId: owner.id, title, contentHash: hash, visibility: 'PRIVATE' } })
  return db.transcodeSession.create({
    data: {
      contentHash: hash,
      state,
      attempt: state === 'FAILED' ? 3 : 1,
      startedAt: new Date(Date.now() - 30_000),
      progress: state === 'RUNNING' ? 0.42 : 0.1,
      encodeSpeed: state === 'RUNNING' ? 2.4 : null,
      segmentsReady: state === 'RUNNING' ? 5 : 1,
      segmentsTotal: 12,
      ...(state === 'FAILED'
        ? { error: 'ffmpeg exited with code 1: Invalid data found when processing input', finishedAt: new Date() }
        : { leaseOwner: 'e2e-phantom-worker', leaseExpiresAt: new Date(Date.now() + 3600_000) }),
    },
  })
}

const stateBadge = (p: Page) => p.getByTestId('session-state')

beforeAll(async () => {
  // Some real traffic so the overview has something to show.
  const { auth } = await userWithKey()
  await uploadMultipart(makeMp4('dashboard.mp4', { seconds: 3, seed: 901 }), { title: 'Dashboard clip', visibility: 'public' }, auth)
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1440, height: 960 } })
  page = await signIn(context)
})

afterAll(async () => {
  await browser?.close()
  await disconnectDb()
})

describe('admin dashboard', () => {
  it('shows the health monitor with workers, queue and alerts', async () => {
    await page.goto(`${base()}/admin`)
    await expect.poll(() => page.getByTestId('stat-encode-rate').isVisible(), { timeout: 20_000 }).toBe(true)
    await expect.poll(() => page.getByTestId('workers').getByText('live').count(), { timeout: 20_000 }).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('queue-by-state').isVisible()).toBe(true)
    // Let the sparklines gather a few samples before the picture.
    await page.waitForTimeout(4500)
    const file = await screenshot(page, 'admin-overview')
    expect(file).toMatch(/admin-overview\.png$/)
  })

  it('retries a failed session from its page and sees it queued again', async () => {
    const failed = await sessionIn('FAILED', `Broken upload ${randomBytes(2).toString('hex')}`)
    await page.goto(`${base()}/admin/sessions/${failed.id}`)
    await expect.poll(() => stateBadge(page).getAttribute('data-value'), { timeout: 20_000 }).toBe('FAILED')
    await expect.poll(() => page.getByTestId('session-error').textContent()).toContain('Invalid data')
    await page.getByRole('button', { name: 'Retry' }).click()
    // The retry is in the timeline at once (pushed over socket.io, or by the refresh after the action).
    await expect.poll(() => page.locator('[data-event-type="SessionQueued"]').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    const row = await db.transcodeSession.findUniqueOrThrow({ where: { id: failed.id } })
    expect(['QUEUED', 'STARTING', 'RUNNING', 'FAILED']).toContain(row.state)
    // What the page shows follows the database as the worker picks the session up.
    await expect
      .poll(
        async () => (await stateBadge(page).getAttribute('data-value')) === (await db.transcodeSession.findUniqueOrThrow({ where: { id: failed.id } })).state,
        { timeout: 15_000 },
      )
      .toBe(true)
  })

  it('cancels a running session and the sessions table updates live', async () => {
    const tag = randomBytes(3).toString('hex')
    const running = await sessionIn('RUNNING', `Long encode ${tag}`)
    const other = await sessionIn('RUNNING', `Other encode ${tag}`)

    await page.goto(`${base()}/admin/sessions/${running.id}`)
    await expect.poll(() => stateBadge(page).getAttribute('data-value'), { timeout: 20_000 }).toBe('RUNNING')
    await page.getByRole('button', { name: 'Cancel', exact: true }).click()
    await page.getByRole('button', { name: 'Confirm cancel' }).click()
    await expect.poll(() => stateBadge(page).getAttribute('data-value'), { timeout: 10_000 }).toBe('CANCELLED')
    await expect.poll(() => page.locator('[data-event-type="SessionCancelled"]').count()).toBeGreaterThan(0)
    expect((await db.transcodeSession.findUniqueOrThrow({ where: { id: running.id } })).state).toBe('CANCELLED')
    await screenshot(page, 'admin-session-detail')

    // The table follows a change made elsewhere (another admin, over the API) without a reload.
    await page.goto(`${base()}/admin/sessions?q=${encodeURIComponent(tag)}`)
    const otherRow = page.locator(`tr[data-session-id="${other.id}"]`)
    await expect.poll(() => otherRow.getByTestId('session-row-state').getAttribute('data-value'), { timeout: 20_000 }).toBe('RUNNING')
    const navigations: string[] = []
    page.on('framenavigated', (f) => navigations.push(f.url()))
    const admin = await db.user.findFirstOrThrow({ where: { email: inject('adminEmail') } })
    const actor: Actor = { userId: admin.id, email: admin.email, role: 'ADMIN', via: 'session', scopes: ['read', 'write', 'admin'] }
    const t0 = Date.now()
    await cancelSession(actor, other.id)
    await expect.poll(() => otherRow.getByTestId('session-row-state').getAttribute('data-value'), { timeout: 10_000 }).toBe('CANCELLED')
    const tookMs = Date.now() - t0
    expect(navigations).toEqual([])
    const live = await page.getByTestId('live-indicator').getAttribute('data-connected')
    console.log(`sessions table saw the cancel after ${tookMs} ms (${live === 'true' ? 'socket.io' : 'polling'})`)
    await screenshot(page, 'admin-sessions')
  })

  it('renders the API reference from the OpenAPI document, from this origin only', async () => {
    const docs = await context.newPage()
    const errors: string[] = []
    const foreign: string[] = []
    docs.on('pageerror', (e) => errors.push(e.message))
    docs.on('request', (r) => {
      if (!r.url().startsWith(base()) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url())
    })
    await docs.goto(`${base()}/docs`)
    const ready = await expect
      .poll(() => docs.getByRole('heading', { name: 'Reelhouse API' }).first().isVisible(), { timeout: 30_000 })
      .toBe(true)
      .then(
        () => true,
        () => false,
      )
    await screenshot(docs, 'api-docs')
    expect(errors).toEqual([])
    expect(ready).toBe(true)
    await expect.poll(() => docs.getByText('Webhooks').first().isVisible()).toBe(true)
    // A self-hosted install: the renderer fetches nothing from elsewhere (no fonts, telemetry or CDN).
    expect(foreign).toEqual([])
    await docs.close()
  })
})
