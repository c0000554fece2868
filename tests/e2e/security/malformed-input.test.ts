import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'
import { base, userWithKey } from '../api/client'
import { rawRequest, signInCookie } from './http'

// Malformed input, as an attacker would send it to the running server: each answers a 4xx
// problem+json, never a 500, and nothing of it is stored.

const HASH = randomBytes(32).toString('hex')
const NUL = '\u0000'

async function expectProblem(res: Response, status: number): Promise<Record<string, unknown>> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  return JSON.parse(text)
}

describe('malformed requests answer 4xx problem+json', () => {
  let user: Awaited<ReturnType<typeof userWithKey>>
  let admin: Awaited<ReturnType<typeof userWithKey>>
  let cookie: string
  let videoId: string
  const json = (auth: Record<string, string>) => ({ ...auth, 'content-type': 'application/json' })

  beforeAll(async () => {
    user = await userWithKey()
    admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const email = `cookie-${Date.now()}@malformed.test`
    await createUser({ email, password: 'password-123' })
    cookie = await signInCookie(email, 'password-123')
    await db.content.upsert({ where: { hash: HASH }, create: { hash: HASH, size: 1n, mime: 'video/mp4' }, update: {} })
    videoId = (await db.video.create({ data: { ownerId: user.user.id, title: 'Kept as it was', contentHash: HASH, visibility: 'PRIVATE' } })).id
  })
  afterAll(async () => {
    await disconnectDb()
  })

  it('reads a cookie with a bad %-escape as no cookie, on every kind of route', async () => {
    const bad = { cookie: 'a=%zz' }
    const anon = await fetch(`${base()}/api/v1/videos`, { headers: bad })
    expect(anon.status).toBe(200)
    await expectProblem(await fetch(`${base()}/api/v1/users/me`, { headers: bad }), 401)
    await expectProblem(
      await fetch(`${base()}/api/v1/rooms`, { method: 'POST', headers: { ...bad, 'content-type': 'application/json' }, body: '{"name":"x"}' }),
      401,
    )
    await expectProblem(await fetch(`${base()}/api/v1/content/${HASH}/original`, { headers: bad }), 401)
    await expectProblem(await fetch(`${base()}/metrics`, { headers: bad }), 401)
    const tus = await fetch(`${base()}/api/v1/uploads`, { method: 'POST', headers: { ...bad, 'tus-resumable': '1.0.0', 'upload-length': '4' } })
    expect(tus.status).toBe(401)
    expect((await fetch(`${base()}/`, { headers: bad })).status).toBe(200)
    // With a valid session next to it, the session still counts.
    const me = await fetch(`${base()}/api/v1/users/me`, { headers: { cookie: `a=%zz; ${cookie}; b=%E0%A4%A` } })
    expect(me.status).toBe(200)
  })

  it('answers 404 for a NUL or an over-long id in a path', async () => {
    for (const path of [
      `/api/v1/videos/${NUL}`,
      `/api/v1/videos/x${NUL}y/views`,
      `/api/v1/sessions/${NUL}/status`,
      `/api/v1/rooms/${NUL}`,
      `/api/v1/playlists/${NUL}`,
      `/api/v1/webhooks/${NUL}`,
      `/api/v1/users/${NUL}`,
      `/api/v1/content/${HASH}/${NUL}`,
      `/videos/${NUL}`,
    ]) {
      await expectProblem(await fetch(`${base()}${path.replace(NUL, '%00')}`, { headers: admin.auth }), 404)
    }
    await expectProblem(await fetch(`${base()}/api/v1/api-keys/%00`, { method: 'DELETE', headers: user.auth }), 404)
    // A path id that fails validation names no resource (404, not 422).
    await expectProblem(await fetch(`${base()}/api/v1/videos/${'x'.repeat(65)}`, { headers: user.auth }), 404)
  })

  it('answers 422 naming the parameter for a NUL in a query', async () => {
    const cases: [string, string][] = [
      ['/api/v1/videos?q=%00', 'q'],
      ['/api/v1/videos?cursor=%00', 'cursor'],
      ['/api/v1/sessions?q=a%00b', 'q'],
      ['/api/v1/sessions?worker=%00', 'worker'],
      ['/api/v1/admin/videos?ownerId=%00', 'ownerId'],
      ['/api/v1/admin/videos?q=%00', 'q'],
      ['/api/v1/users?cursor=%00', 'cursor'],
      ['/api/v1/webhooks/x/deliveries?cursor=%00', 'cursor'],
    ]
    for (const [path, field] of cases) {
      const problem = await expectProblem(await fetch(`${base()}${path}`, { headers: admin.auth }), 422)
      expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain(field)
    }
    // Control characters other than NUL are refused by the same rule, on pages and next-auth's endpoints too.
    await expectProblem(await fetch(`${base()}/api/v1/videos?q=%1b%5b2J`), 422)
    await expectProblem(await fetch(`${base()}/?q=%00`), 422)
    await expectProblem(await fetch(`${base()}/api/auth/signin?callbackUrl=%00`, { redirect: 'manual' }), 422)
  })

  it('answers 422 for a NUL in any JSON string, and stores nothing', async () => {
    const send = (method: string, path: string, body: unknown, auth: Record<string, string> = user.auth) =>
      fetch(`${base()}${path}`, { method, headers: json(auth), body: JSON.stringify(body) })
    const playlist = (await (await send('POST', '/api/v1/playlists', { name: 'fine' })).json()) as { id: string }
    const cases: [string, string, unknown, Record<string, string>?][] = [
      ['POST', '/api/v1/rooms', { name: `room${NUL}` }],
      ['POST', '/api/v1/playlists', { name: `pl${NUL}` }],
      ['POST', '/api/v1/playlists', { name: 'ids', videoIds: [NUL] }],
      ['PATCH', `/api/v1/playlists/${playlist.id}`, { name: `x${NUL}` }],
      ['POST', '/api/v1/api-keys', { name: `key${NUL}`, scopes: ['read'] }],
      ['PATCH', `/api/v1/videos/${videoId}`, { title: `t${NUL}` }],
      ['PATCH', `/api/v1/videos/${videoId}`, { description: `d${NUL}` }],
      ['POST', '/api/v1/webhooks', { url: `http://example.com/${NUL}` }],
      ['POST', '/api/v1/uploads', { title: `direct${NUL}` }],
      ['POST', '/api/v1/uploads', { description: `direct${NUL}` }],
      ['POST', '/api/v1/users', { email: `n-${Date.now()}@x.test`, password: 'password-123', name: `n${NUL}` }, admin.auth],
      ['PATCH', `/api/v1/users/${user.user.id}`, { name: `n${NUL}` }, admin.auth],
      ['POST', `/api/v1/rooms/${NUL}x/commands`, { type: 'play' }],
      ['POST', '/api/v1/rooms/x/commands', { type: 'play', [`k${NUL}`]: 1 }],
    ]
    for (const [method, path, body, auth] of cases) {
      const problem = await expectProblem(await send(method, path.replace(NUL, '%00'), body, auth), path.includes(NUL) ? 404 : 422)
      expect(problem.code).toBe(path.includes(NUL) ? 'NOT_FOUND' : 'INVALID_INPUT')
    }
    expect((await db.video.findUniqueOrThrow({ where: { id: videoId } })).title).toBe('Kept as it was')
    expect(await db.room.count({ where: { name: { contains: 'room' }, ownerId: user.user.id } })).toBe(0)
    expect(await db.apiKey.count({ where: { userId: user.user.id, name: { startsWith: 'key' } } })).toBe(0)
  })

  it('refuses a JSON body over 1 MiB with 413, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })
    await expectProblem(await fetch(`${base()}/api/v1/rooms`, { method: 'POST', headers: json(user.auth), body: big }), 413)
    // No Content-Length: the body arrives chunked and is cut off once it passes the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode(i === 0 ? `{"name":"${'y'.repeat(64 * 1024)}` : 'y'.repeat(64 * 1024)))
        c.close()
      },
    })
    const chunked = await fetch(`${base()}/api/v1/rooms`, { method: 'POST', headers: json(user.auth), body: stream, duplex: 'half' } as RequestInit)
    await expectProblem(chunked, 413)
    // Just under the limit is an ordinary validation error.
    await expectProblem(
      await fetch(`${base()}/api/v1/rooms`, { method: 'POST', headers: json(user.auth), body: JSON.stringify({ name: 'z'.repeat(1000_000) }) }),
      422,
    )
  })

  it('answers 400 for undecodable paths and the request target *', async () => {
    for (const target of [
      '/%zz',
      '/%',
      '/%ff',
      '/api/v1/videos/%zz',
      '/api/v1/videos/%E0%A4%A',
      `/api/v1/content/${HASH}/%ff`,
      '/videos/%',
      '/socket-less/%c0%af',
    ]) {
      const res = await rawRequest('GET', target)
      expect(res.status, target).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(JSON.parse(res.body).code).toBe('BAD_REQUEST')
    }
    for (const method of ['OPTIONS', 'GET']) {
      const res = await rawRequest(method, '*')
      expect(res.status).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
  })

  it('never signs in with a NUL in the email', async () => {
    const csrf = await fetch(`${base()}/api/auth/csrf`)
    const { csrfToken } = (await csrf.json()) as { csrfToken: string }
    const res = await fetch(`${base()}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrf.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      },
      body: new URLSearchParams({ email: `a${NUL}@x.test`, password: 'password-123', csrfToken, json: 'true' }),
    })
    expect(res.status).toBeLessThan(500)
    expect(res.headers.getSetCookie().some((c) => c.includes('session-token='))).toBe(false)
    // A NUL in the form's callbackUrl (next-auth puts it in a cookie) is no 500 either.
    const callback = await fetch(`${base()}/api/auth/signin/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrf.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      },
      body: new URLSearchParams({ csrfToken, callbackUrl: `/${NUL}\r\nSet-Cookie: x=1` }),
    })
    expect(callback.status).toBeLessThan(500)
    expect(callback.headers.getSetCookie().some((c) => c.startsWith('x='))).toBe(false)
  })
})
