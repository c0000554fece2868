import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { launchBrowser, screenshot, signIn } from '../browser'

describe('signing in', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(() => browser?.close())

  it('shows the gallery to an anonymous visitor with a sign-in link', async () => {
    const page = await browser.newPage()
    await page.goto(inject('baseUrl'))
    await expect(page.getByRole('link', { name: 'Sign in', exact: true }).isVisible()).resolves.toBe(true)
    await expect(page.getByRole('heading', { name: 'Gallery' }).isVisible()).resolves.toBe(true)
  })

  it('rejects a wrong password with a message', async () => {
    const page = await browser.newPage()
    await page.goto(`${inject('baseUrl')}/signin`)
    await page.getByLabel('Email').fill(inject('adminEmail'))
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    // Next's route announcer is an empty role=alert too: look for ours by its text.
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor()
    expect(page.url()).toContain('/signin')
  })

  it('signs the admin in, who sees the gallery and the admin link', async () => {
    const context = await browser.newContext()
    const page = await signIn(context)
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(inject('adminEmail'))
    await expect(page.getByRole('link', { name: 'Admin', exact: true }).isVisible()).resolves.toBe(true)
    await expect(page.getByRole('heading', { name: 'Gallery' }).isVisible()).resolves.toBe(true)
    await screenshot(page, 'gallery-signed-in')
    await context.close()
  })
})
