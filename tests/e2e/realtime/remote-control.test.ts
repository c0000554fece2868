import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser, screenshot, signIn } from '../browser'
import { expectAdvancing, media, until } from '../ui/helpers'

// An admin drives a viewer's open player from the dashboard's remote control (issue 6 e2e).
describe('remote control from the admin players panel', () => {
  let browser: Browser
  let viewer: Page
  let admin: Page
  const ids: string[] = []
  const viewerEmail = `viewer-${Date.now()}@rc.test`

  beforeAll(async () => {
    const { auth } = await userWithKey()
    for (const seed of [91, 92]) {
      const created = await (
        await uploadMultipart(makeMp4(`rc-${seed}.mp4`, { seconds: 12, seed }), { title: `Remote ${seed}`, visibility: 'public' }, auth)
      ).json()
      ids.push(created.id)
    }
    for (const id of ids) expect((await waitForStatus(id, auth, ['ready', 'failed'])).status).toBe('ready')
    await createUser({ email: viewerEmail, password: 'viewer-password' })
    browser = await launchBrowser()
    viewer = await signIn(await browser.newContext(), viewerEmail, 'viewer-password')
    admin = await signIn(await browser.newContext())
  })
  afterAll(async () => {
    await browser?.close()
    await disconnectDb()
  })

  const positionCell = (row: ReturnType<Page['locator']>) =>
    row
      .getByTestId('player-position')
      .textContent()
      .then((t) => {
        const m = /^(\d+):(\d\d)$/.exec(t?.trim() ?? '')
        return m ? Number(m[1]) * 60 + Number(m[2]) : null
      })

  it('a pause on a fresh player keeps its position, and the table shows where it is (issue 13, bug 1)', async () => {
    await viewer.goto(`${inject('baseUrl')}/videos/${ids[0]}`)
    await viewer.getByTestId('video-modal').waitFor()
    await expectAdvancing(viewer, 4, 20_000)

    await admin.goto(`${inject('baseUrl')}/admin/players`)
    const row = admin.getByTestId('players-table').locator('tr', { hasText: viewerEmail }).last()
    await row.waitFor({ timeout: 15_000 })
    await row.getByRole('button', { name: 'Control' }).click()
    const panel = admin.getByTestId('remote-control')
    // The transport buttons are drawn icons, not glyphs a font may lack.
    for (const name of [/Play/, /Pause/, /Prev/, /Next/]) {
      const button = panel.getByRole('button', { name })
      expect(await button.locator('svg').count()).toBe(1)
      expect(await button.textContent()).not.toMatch(/[⏮⏭▶❚]/)
    }
    await panel.getByRole('button', { name: /Pause/ }).click()
    const paused = await until(
      () => media(viewer),
      (m) => !!m?.paused,
      5000,
      'the pause from the panel',
    )
    expect(paused!.t, 'paused where it was, not rewound').toBeGreaterThan(3.5)
    // The table follows within a moment: the paused position, not a stale one.
    const shown = async () => ({ at: await positionCell(row), paused: (await row.textContent())?.includes('paused') })
    await until(shown, (s) => !!s.paused && s.at !== null && Math.abs(s.at - Math.floor(paused!.t)) <= 1, 5000, 'the paused position in the table')
    await panel.getByRole('button', { name: /Play/ }).click()
    await expectAdvancing(viewer, paused!.t)
  })

  it('plays, pauses, seeks and skips to the next video on command', async () => {
    await viewer.goto(`${inject('baseUrl')}/videos/${ids[0]}`)
    await viewer.getByTestId('video-modal').waitFor()
    await expectAdvancing(viewer)

    await admin.goto(`${inject('baseUrl')}/admin/players`)
    const row = admin.getByTestId('players-table').locator('tr', { hasText: viewerEmail }).last()
    await row.waitFor({ timeout: 15_000 })
    await row.getByRole('button', { name: 'Control' }).click()
    const panel = admin.getByTestId('remote-control')
    await panel.getByPlaceholder('video ids, comma-separated').fill(ids.join(','))
    await panel.getByRole('button', { name: 'Load' }).click()
    await panel.getByTestId('command-result').waitFor()
    await screenshot(admin, 'admin-remote-control')

    await panel.getByRole('button', { name: /Pause/ }).click()
    await until(
      () => media(viewer),
      (m) => !!m?.paused,
      5000,
      'the pause from the panel',
    )
    await panel.getByLabel('Seek to (s)').fill('6')
    await panel.getByRole('button', { name: 'Seek' }).click()
    const sought = await until(
      () => media(viewer),
      (m) => !!m && Math.abs(m.t - 6) < 0.5,
      5000,
      'the seek from the panel',
    )
    expect(sought!.paused).toBe(true)
    await panel.getByRole('button', { name: /Play/ }).click()
    await expectAdvancing(viewer, 6)

    await panel.getByRole('button', { name: /Next/ }).click()
    await viewer.waitForURL(`**/videos/${ids[1]}`, { timeout: 10_000 })
    await expectAdvancing(viewer)
    // The same row (the socket outlives the switch) reports the new video and a position.
    await until(
      () => row.textContent(),
      (t) => !!t?.includes(ids[1]),
      10_000,
      'the next video in the table',
    )
    expect(await positionCell(row)).not.toBeNull()
    const room = await db.room.findFirst({ where: { owner: { email: viewerEmail }, personal: true }, orderBy: { updatedAt: 'desc' } })
    expect(room?.currentIndex).toBe(1)
  })
})
