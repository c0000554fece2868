import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { freePort } from '@/lib/db/embedded'
import { runChild, stopChild } from '@/lib/launcher/children'
import { base } from '../api/client'
import { postCredentials, signInCookie } from './http'

// A second web process configured as behind a TLS-terminating proxy (public URL https,
// TRUST_PROXY=1): its cookies are Secure and the proxy's X-Forwarded-Proto counts. The suite's
// own server (no TRUST_PROXY) ignores the same header from a client.

const PUBLIC_URL = 'https://reelhouse.test'

/** One wrong-password sign-in claiming to come from `forwardedFor`. */
async function failSignIn(url: string, forwardedFor: string): Promise<void> {
  const res = await postCredentials(url, { email: `nobody-${Date.now()}@proxy.test`, password: 'wrong-password' }, { 'x-forwarded-for': forwardedFor })
  expect(res.status).toBeLessThan(500)
}

const addressRows = (address: string) => db.signInThrottle.count({ where: { key: `address:${address}` } })

async function waitUp(url: string): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not come up`)
}

describe('behind a TLS proxy', () => {
  let child: ChildProcess
  let proxied: string
  let host: string
  const email = `proxy-${Date.now()}@proxy.test`

  beforeAll(async () => {
    const port = await freePort()
    host = `127.0.0.1:${port}`
    proxied = `http://${host}`
    child = runChild('web', 'server.ts', {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      NEXTAUTH_URL: PUBLIC_URL,
      TRUST_PROXY: '1',
      REALTIME_PROCESS: '0',
      LOG_LEVEL: 'warn',
    })
    await createUser({ email, password: 'password-123' })
    await waitUp(proxied)
  })
  afterAll(async () => {
    if (child) await stopChild(child)
    await disconnectDb()
  })

  it('marks the session cookie Secure when the public URL is https', async () => {
    const csrf = await fetch(`${proxied}/api/auth/csrf`, { headers: { 'x-forwarded-proto': 'https' } })
    const { csrfToken } = (await csrf.json()) as { csrfToken: string }
    expect(csrf.headers.getSetCookie().every((c) => /;\s*Secure/i.test(c))).toBe(true)
    const res = await fetch(`${proxied}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrf.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
        origin: PUBLIC_URL,
        'x-forwarded-proto': 'https',
      },
      body: new URLSearchParams({ email, password: 'password-123', csrfToken, json: 'true' }),
    })
    const session = res.headers.getSetCookie().find((c) => c.includes('next-auth.session-token='))
    expect(session).toMatch(/^__Secure-next-auth\.session-token=/)
    expect(session).toMatch(/;\s*Secure/i)
    expect(session).toMatch(/;\s*HttpOnly/i)

    const cookie = session!.split(';')[0]
    const create = (headers: Record<string, string>) =>
      fetch(`${proxied}/api/v1/rooms`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{"name":"via proxy"}' })
    // The public origin, and the proxied host as the proxy says the browser reached it (https).
    expect((await create({ origin: PUBLIC_URL })).status).toBe(201)
    expect((await create({ origin: `https://${host}`, 'x-forwarded-proto': 'https' })).status).toBe(201)
    expect((await create({ origin: `https://${host}`, 'x-forwarded-proto': 'http' })).status).toBe(403)
    expect((await create({ origin: 'https://evil.example', 'x-forwarded-proto': 'https' })).status).toBe(403)
  })

  it('counts sign-in failures against the address the proxy reports', async () => {
    await failSignIn(proxied, '198.51.100.23')
    expect(await addressRows('198.51.100.23')).toBe(1)
  })

  it('counts a client’s forged X-Forwarded-For against its real address without TRUST_PROXY', async () => {
    await failSignIn(base(), '198.51.100.77')
    expect(await addressRows('198.51.100.77')).toBe(0)
    expect(await db.signInThrottle.count({ where: { key: { in: ['address:127.0.0.1', 'address:::ffff:127.0.0.1'] } } })).toBe(1)
  })

  it('ignores a client’s X-Forwarded-Proto without TRUST_PROXY', async () => {
    const other = `other-${Date.now()}@proxy.test`
    await createUser({ email: other, password: 'password-123' })
    const cookie = await signInCookie(other, 'password-123')
    const origin = new URL(base())
    const res = await fetch(`${base()}/api/v1/rooms`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: `https://${origin.host}`, 'x-forwarded-proto': 'https' },
      body: '{"name":"forged scheme"}',
    })
    expect(res.status).toBe(403)
    expect(
      (
        await fetch(`${base()}/api/v1/rooms`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', origin: base() },
          body: '{"name":"real"}',
        })
      ).status,
    ).toBe(201)
  })
})
