import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { disconnectDb } from '@/lib/db'
import { launchBrowser, screenshot, signIn } from '../browser'
import { startWebNode, type WebNode } from '../web-node'

// Accounts as people use them in Chromium: an admin makes an invite link on the Users page, a
// newcomer signs up with it and is signed in; an admin's reset link sets a new password (the old
// one stops working, and so do the account's other sessions); with REGISTRATION=open anyone signs
// up, with `closed` the page says it is closed. The shared server runs the default, `invite`.

const PHONE = { width: 390, height: 844 }
const WIDE = { width: 1280, height: 800 }
const unique = (who: string) => `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@accounts-ui.test`

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await disconnectDb()
})

async function fillSignUp(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Name (optional)').fill('New Person')
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
}

async function signInForm(page: Page, url: string, email: string, password: string) {
  await page.goto(`${url}/signin`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** The widest element's right edge against the viewport: nothing may stick out sideways. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe('sign-up by invite link (REGISTRATION=invite)', () => {
  let admin: BrowserContext
  afterAll(() => admin?.close())

  it('says sign-up needs an invitation when opened without one', async () => {
    for (const viewport of [WIDE, PHONE]) {
      const context = await browser.newContext({ viewport })
      const page = await context.newPage()
      await page.goto(`${inject('baseUrl')}/signup`)
      await expect(page.getByTestId('signup-refused').textContent()).resolves.toMatch(/by invitation/)
      await expect(page.getByRole('button', { name: 'Create account' }).count()).resolves.toBe(0)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await context.close()
    }
  })

  it('an admin makes an invite link; a newcomer signs up with it and is signed in; the link then says it is used', async () => {
    admin = await browser.newContext({ viewport: WIDE })
    const adminPage = await signIn(admin)
    await adminPage.goto(`${inject('baseUrl')}/admin/users`)
    await adminPage.getByText('Sign-up needs an invite link (REGISTRATION=invite).').waitFor()
    await adminPage.getByRole('button', { name: 'Make invite link' }).click()
    const url = await adminPage.getByLabel('New invite link').inputValue()
    expect(url).toMatch(/\/signup\?invite=/)
    await adminPage.getByTestId('invites').locator('li').filter({ hasText: 'open' }).first().waitFor()
    await screenshot(adminPage, 'admin-users-invites-1280')
    await adminPage.setViewportSize(PHONE)
    await adminPage.getByTestId('invites').scrollIntoViewIfNeeded()
    expect(await overflow(adminPage)).toBeLessThanOrEqual(0)
    await screenshot(adminPage, 'admin-users-invites-390')

    for (const [viewport, suffix] of [
      [WIDE, '1280'],
      [PHONE, '390'],
    ] as const) {
      const context = await browser.newContext({ viewport })
      const page = await context.newPage()
      await page.goto(url)
      await page.getByRole('button', { name: 'Create account' }).waitFor()
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      await screenshot(page, `signup-invite-${suffix}`)
      await context.close()
    }

    const newcomer = await browser.newContext({ viewport: WIDE })
    const page = await newcomer.newPage()
    await page.goto(url)
    const email = unique('invited')
    await fillSignUp(page, email, 'invited-password')
    await page.waitForURL(`${inject('baseUrl')}/`)
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(email)
    await expect(page.getByRole('link', { name: 'Admin', exact: true }).count()).resolves.toBe(0)

    const late = await browser.newPage()
    await late.goto(url)
    await expect(late.getByTestId('signup-refused').textContent()).resolves.toMatch(/used already/)
    await late.close()
    await adminPage.setViewportSize(WIDE)
    await adminPage.reload()
    await adminPage.getByTestId('invites').getByText(`by ${email}`).waitFor()
    await newcomer.close()
  })

  it("an admin's reset link sets a new password: the old one fails, the new one works, the user's other session ends", async () => {
    const email = unique('forgetful')
    await createUser({ email, password: 'old-password-1' })
    const before = await browser.newContext({ viewport: WIDE })
    const signedIn = await signIn(before, email, 'old-password-1')
    await expect(signedIn.getByTestId('signed-in-as').textContent()).resolves.toBe(email)

    admin ??= await browser.newContext({ viewport: WIDE })
    const adminPage = admin.pages()[0] ?? (await signIn(admin))
    await adminPage.goto(`${inject('baseUrl')}/admin/users`)
    await adminPage.getByRole('button', { name: `Reset password of ${email}` }).click()
    const url = await adminPage.getByLabel(`Password reset link for ${email}`).inputValue()
    expect(url).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/)

    const user = await browser.newContext({ viewport: PHONE })
    const page = await user.newPage()
    await page.goto(url)
    await page.getByText(email).waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'reset-390')
    await page.getByLabel('New password', { exact: true }).fill('new-password-2')
    await page.getByLabel('Repeat the new password').fill('new-password-2')
    await page.getByRole('button', { name: 'Set password and sign in' }).click()
    await page.waitForURL(`${inject('baseUrl')}/`)
    await page.goto(`${inject('baseUrl')}/me/videos`)
    expect(page.url()).toContain('/me/videos')

    // The session from before the reset is over.
    await signedIn.reload()
    await expect(signedIn.getByRole('link', { name: 'Sign in', exact: true }).isVisible()).resolves.toBe(true)

    const other = await browser.newPage()
    await signInForm(other, inject('baseUrl'), email, 'old-password-1')
    await other.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor()
    await signInForm(other, inject('baseUrl'), email, 'new-password-2')
    await other.waitForURL(`${inject('baseUrl')}/`)

    await page.goto(url)
    await expect(page.getByTestId('reset-refused').textContent()).resolves.toMatch(/used already/)
    await other.close()
    await user.close()
    await before.close()
  })
})

describe('sign-up with REGISTRATION=open and closed', () => {
  let node: WebNode | undefined
  afterAll(() => node?.stop())

  it('open: anyone signs up without an invite and is signed in; the sign-in page offers it', async () => {
    node = await startWebNode({ REGISTRATION: 'open' })
    const context = await browser.newContext({ viewport: WIDE })
    const page = await context.newPage()
    await page.goto(`${node.url}/signin`)
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.waitForURL(`${node.url}/signup`)
    await screenshot(page, 'signup-open-1280')
    const email = unique('open')
    await fillSignUp(page, email, 'open-password')
    await page.waitForURL(`${node.url}/`)
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(email)
    await context.close()
    const phone = await browser.newContext({ viewport: PHONE })
    const small = await phone.newPage()
    await small.goto(`${node.url}/signup`)
    await small.getByRole('button', { name: 'Create account' }).waitFor()
    expect(await overflow(small)).toBeLessThanOrEqual(0)
    await screenshot(small, 'signup-open-390')
    await phone.close()
    await node.stop()
    node = undefined
  })

  it('closed: the page says sign-up is closed and the API answers 403', async () => {
    node = await startWebNode({ REGISTRATION: 'closed' })
    const page = await browser.newPage({ viewport: PHONE })
    await page.goto(`${node.url}/signup`)
    await expect(page.getByTestId('signup-refused').textContent()).resolves.toMatch(/closed/)
    await expect(page.getByRole('button', { name: 'Create account' }).count()).resolves.toBe(0)
    await screenshot(page, 'signup-closed-390')
    await page.goto(`${node.url}/signin`)
    await expect(page.getByRole('link', { name: 'Create an account' }).count()).resolves.toBe(0)
    await page.close()
    const email = unique('closed')
    const res = await fetch(`${node.url}/api/v1/users/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'closed-password' }),
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { detail: string }).detail).toMatch(/closed/)
  })
})
