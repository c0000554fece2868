import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { launchBrowser, signIn } from '../browser'
import { expectAdvancing } from '../ui/helpers'

// The pages' Content-Security-Policy in a real Chromium: it stops a script injected into a page,
// and gallery, player (MediaSource blob: URLs, socket.io), upload, admin and the API reference all
// work under it without one violation.

interface Violation {
  directive: string
  blocked: string
  page: string
  source?: string
}

/** Collects every CSP violation the page reports, from the DOM event and from the console. */
async function watchViolations(page: Page, into: Violation[]): Promise<void> {
  await page.exposeFunction('__reportViolation', (v: Violation) => into.push(v))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { __reportViolation: (v: unknown) => void }).__reportViolation({
        directive: e.violatedDirective,
        blocked: e.blockedURI,
        page: location.pathname,
        source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      })
    })
  })
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) into.push({ directive: 'console', blocked: m.text(), page: page.url() })
  })
}

describe('the pages under their CSP in Chromium', () => {
  let browser: Browser
  let videoId: string

  beforeAll(async () => {
    const { auth } = await userWithKey()
    const created = (await (
      await uploadMultipart(makeMp4('csp.mp4', { seconds: 6, seed: 77 }), { title: 'CSP check', visibility: 'public' }, auth)
    ).json()) as { id: string }
    videoId = created.id
    expect((await waitForStatus(videoId, auth, ['ready', 'failed'])).status).toBe('ready')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('blocks a script injected into a page', async () => {
    const page = await (await browser.newContext()).newPage()
    const violations: Violation[] = []
    await watchViolations(page, violations)
    await page.goto(`${base()}/`)
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { injected?: boolean }
      const s = document.createElement('script')
      s.textContent = 'window.injected = true'
      document.body.appendChild(s)
      const img = document.createElement('img')
      img.setAttribute('onerror', 'window.injected = true')
      img.src = '/nope.png'
      document.body.appendChild(img)
      await new Promise((r) => setTimeout(r, 500))
      return w.injected === true
    })
    expect(ran).toBe(false)
    expect(violations.some((v) => v.directive.startsWith('script-src'))).toBe(true)
  })

  it('runs gallery, player, upload, admin and docs without a violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await signIn(context)
    const violations: Violation[] = []
    await watchViolations(page, violations)

    await page.goto(`${base()}/`)
    await page.locator(`[data-video-id="${videoId}"]`).click()
    await page.getByTestId('video-modal').waitFor()
    await expectAdvancing(page, 0.3, 20_000)

    await page.goto(`${base()}/upload`)
    await page.setInputFiles('input[type="file"]', makeMp4(path.basename(`csp-upload-${Date.now()}.mp4`), { seconds: 2, seed: 78 }))
    const item = page.getByTestId('upload-item')
    await item.getByLabel('Title').fill('Uploaded under the CSP')
    await item.getByRole('button', { name: 'Upload' }).click()
    await page.locator('[data-testid="upload-item"][data-phase="done"]').waitFor({ timeout: 60_000 })

    for (const admin of ['/admin', '/admin/sessions', '/admin/players', '/admin/videos']) {
      await page.goto(`${base()}${admin}`)
      await page.waitForLoadState('load')
      // Let the live parts (socket.io, polling) start, which is where a connect-src gap would show.
      await page.waitForTimeout(1500)
    }

    await page.goto(`${base()}/docs`)
    await expect.poll(() => page.getByRole('heading', { name: 'Reelhouse API' }).first().isVisible(), { timeout: 30_000 }).toBe(true)

    expect(violations).toEqual([])
  })
})
