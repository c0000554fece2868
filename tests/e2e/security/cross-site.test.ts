import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { base, userWithKey } from '../api/client'
import { signInCookie } from './http'

// Cross-site request forgery: another site's page makes the visitor's browser send requests
// with the session cookie. Those carry the page's Origin (or Sec-Fetch-Site: cross-site) and are
// refused wherever a cookie would authenticate a change; our own pages and API keys are not.

const EVIL = 'https://evil.example'

describe('cookie-authenticated changes from another site', () => {
  let cookie: string
  let userId: string
  let videoId: string

  beforeAll(async () => {
    const email = `csrf-${Date.now()}@cross-site.test`
    userId = (await createUser({ email, password: 'password-123' })).id
    cookie = await signInCookie(email, 'password-123')
    const hash = randomBytes(32).toString('hex')
    await db.content.create({ data: { hash, size: 1n, mime: 'video/mp4' } })
    videoId = (await db.video.create({ data: { ownerId: userId, title: 'Mine', contentHash: hash, visibility: 'PRIVATE' } })).id
  })
  afterAll(async () => {
    await disconnectDb()
  })

  const refused = async (res: Response) => {
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN')
  }

  it('refuses the forms and fetches another site can send without CORS', async () => {
    const foreign = { cookie, origin: EVIL }
    await refused(
      await fetch(`${base()}/api/v1/webhooks`, {
        method: 'POST',
        headers: { ...foreign, 'content-type': 'text/plain' },
        body: JSON.stringify({ url: 'https://evil.example/hook' }),
      }),
    )
    await refused(
      await fetch(`${base()}/api/v1/api-keys`, {
        method: 'POST',
        headers: { ...foreign, 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'stolen', scopes: ['read', 'write'] }),
      }),
    )
    await refused(
      await fetch(`${base()}/api/v1/rooms`, {
        method: 'POST',
        headers: { ...foreign, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=forged',
      }),
    )
    await refused(
      await fetch(`${base()}/api/v1/videos/${videoId}`, {
        method: 'PATCH',
        headers: { ...foreign, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Forged', visibility: 'PUBLIC' }),
      }),
    )
    await refused(await fetch(`${base()}/api/v1/videos/${videoId}`, { method: 'DELETE', headers: foreign }))
    // The same without Origin but with the browser's Sec-Fetch-Site, and with neither header.
    await refused(
      await fetch(`${base()}/api/v1/rooms`, {
        method: 'POST',
        headers: { cookie, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
        body: '{"name":"forged"}',
      }),
    )
    await refused(
      await fetch(`${base()}/api/v1/rooms`, {
        method: 'POST',
        headers: { cookie, 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
        body: '{"name":"forged"}',
      }),
    )
    await refused(await fetch(`${base()}/api/v1/rooms`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"name":"forged"}' }))
    await refused(
      await fetch(`${base()}/api/v1/rooms`, {
        method: 'POST',
        headers: { cookie, origin: 'null', 'content-type': 'application/json' },
        body: '{"name":"forged"}',
      }),
    )

    expect(await db.webhook.count({ where: { ownerId: userId } })).toBe(0)
    expect(await db.apiKey.count({ where: { userId } })).toBe(0)
    expect(await db.room.count({ where: { ownerId: userId } })).toBe(0)
    const video = await db.video.findUniqueOrThrow({ where: { id: videoId } })
    expect([video.title, video.visibility]).toEqual(['Mine', 'PRIVATE'])
  })

  it('refuses cross-site uploads, server actions and sign-out', async () => {
    const foreign = { cookie, origin: EVIL }
    await refused(
      await fetch(`${base()}/api/v1/uploads`, {
        method: 'POST',
        headers: { ...foreign, 'tus-resumable': '1.0.0', 'upload-length': '4', 'upload-metadata': `filename ${btoa('a.mp4')}` },
      }),
    )
    await refused(
      await fetch(`${base()}/api/v1/videos`, { method: 'POST', headers: { ...foreign, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' }),
    )
    await refused(
      await fetch(`${base()}/`, { method: 'POST', headers: { ...foreign, 'next-action': 'f'.repeat(42), 'content-type': 'text/plain' }, body: '[]' }),
    )
    // Without a cookie too: Next's own Origin check answered a foreign server action with a 500.
    await refused(
      await fetch(`${base()}/`, { method: 'POST', headers: { origin: EVIL, 'next-action': 'f'.repeat(42), 'content-type': 'text/plain' }, body: '[]' }),
    )
    await refused(
      await fetch(`${base()}/api/auth/signout`, {
        method: 'POST',
        headers: { ...foreign, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'csrfToken=x',
      }),
    )
    // The session still works.
    expect((await fetch(`${base()}/api/v1/users/me`, { headers: { cookie } })).status).toBe(200)
  })

  it('serves the same requests from our own pages and from API keys', async () => {
    const own = await fetch(`${base()}/api/v1/rooms`, {
      method: 'POST',
      headers: { cookie, origin: base(), 'content-type': 'application/json' },
      body: '{"name":"own page"}',
    })
    expect(own.status).toBe(201)
    const fetchMeta = await fetch(`${base()}/api/v1/rooms`, {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: '{"name":"fetch metadata"}',
    })
    expect(fetchMeta.status).toBe(201)
    const patched = await fetch(`${base()}/api/v1/videos/${videoId}`, {
      method: 'PATCH',
      headers: { cookie, origin: base(), 'content-type': 'application/json' },
      body: '{"title":"Renamed here"}',
    })
    expect(patched.status).toBe(200)
    const { auth } = await userWithKey()
    const keyed = await fetch(`${base()}/api/v1/rooms`, {
      method: 'POST',
      headers: { ...auth, cookie, origin: EVIL, 'content-type': 'application/json' },
      body: '{"name":"by key"}',
    })
    expect(keyed.status).toBe(201)
    // Reads are not changes: a foreign page may not read them (no CORS), and they are not refused.
    expect((await fetch(`${base()}/api/v1/users/me`, { headers: { cookie, origin: EVIL } })).status).toBe(200)
  })
})

describe('page headers', () => {
  it('sends a nonce CSP, frame-ancestors self, a referrer policy and nosniff on pages', async () => {
    const nonces = new Set<string>()
    for (const path of ['/', '/signin', '/docs', '/upload']) {
      const res = await fetch(`${base()}${path}`, { redirect: 'manual' })
      expect(res.status, path).toBeLessThan(400)
      const csp = res.headers.get('content-security-policy') ?? ''
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
      expect(nonce, `${path}: ${csp}`).toBeTruthy()
      nonces.add(nonce!)
      expect(csp).toContain("frame-ancestors 'self'")
      expect(csp).toContain("object-src 'none'")
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      if (res.status === 200) {
        // Every script the page carries is ours: external from this origin, or inline with the nonce.
        const html = await res.text()
        for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
          expect(tag.includes(`nonce="${nonce}"`) || /src="\/(?!\/)/.test(tag), tag).toBe(true)
        }
      }
    }
    expect(nonces.size).toBe(4)
    const api = await fetch(`${base()}/api/v1/health`)
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
    expect(api.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  })
})
