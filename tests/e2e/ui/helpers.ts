import type { Page } from 'playwright-core'
import { inject } from 'vitest'

// Small waits and probes shared by the UI tests.

export interface MediaState {
  t: number
  paused: boolean
  width: number
  height: number
  duration: number
  readyState: number
}

export function media(page: Page): Promise<MediaState | null> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="video-modal"] video')
    return v ? { t: v.currentTime, paused: v.paused, width: v.videoWidth, height: v.videoHeight, duration: v.duration, readyState: v.readyState } : null
  })
}

export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await probe()
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`)
    await new Promise((r) => setTimeout(r, 100))
    last = await probe()
  }
  return last
}

/** Waits until the modal's media element plays past `seconds`, then checks it keeps advancing. */
export async function expectAdvancing(page: Page, from = 0.3, timeoutMs = 15_000): Promise<MediaState> {
  const a = await until(
    () => media(page),
    (m) => !!m && m.t > from && !m.paused,
    timeoutMs,
    `playback past ${from}s`,
  )
  const b = await until(
    () => media(page),
    (m) => !!m && m.t > a!.t + 0.3,
    5000,
    'currentTime to advance',
  )
  return b!
}

export function playerStats(page: Page): Promise<Record<string, unknown> | null> {
  return page.evaluate(() => {
    const r = (window as unknown as { __reelhouse?: { player?: { stats: Record<string, unknown> } } }).__reelhouse
    return r?.player ? JSON.parse(JSON.stringify({ ...r.player.stats, player: undefined, controller: undefined })) : null
  })
}

/** The database of the e2e server, for seeding states the worker must not touch. */
export async function testDb() {
  process.env.DATABASE_URL = inject('databaseUrl')
  process.env.DATA_DIR = inject('dataDir')
  const { db, disconnectDb } = await import('@/lib/db')
  return { db, disconnectDb }
}

/** Moves the pointer over the player so video.js shows its (auto-hidden) control bar, as a person would. */
export async function wakeControls(page: Page): Promise<void> {
  const box = await page.getByTestId('player').boundingBox()
  if (!box) return
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.move(box.x + box.width / 2 + 10, box.y + box.height - 20, { steps: 3 })
}
