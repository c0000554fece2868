import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, makeMp4 } from '../api/client'
import { type Fixture, makeFixture, makePrincipals, type Principal, type Principals } from './fixtures'

// PeerTube-style check-params: for every operation in the served OpenAPI document, each principal
// (anonymous, a revoked key, a key lacking the scope, another user, the owner, an admin) gets the
// status the document's access rules promise, never another user's data, and — when it succeeds —
// a body that matches the documented schema.

interface Access {
  auth?: 'key' | 'none' | 'metrics' | 'token'
  scope: 'read' | 'write' | 'admin' | null
  anonymous?: boolean
  admin?: boolean
  resource?: string
  shared?: boolean
  protocol?: 'tus'
}

interface Operation {
  method: string
  path: string
  operationId: string
  access: Access
  success: number
  responseSchema?: unknown
  responseType?: string
  hasBody: boolean
}

// Example bodies, by operationId: valid requests, so a refusal can only come from access rules.
const BODIES: Record<string, (f: Fixture) => unknown> = {
  updateVideo: () => ({ title: 'Renamed by check-params' }),
  choosePoster: () => ({ atMs: 500 }),
  setChapters: () => ({ chapters: [{ startMs: 0, title: 'Intro' }] }),
  saveProgress: () => ({ positionMs: 1000 }),
  createPlaybackToken: () => ({ ttlSeconds: 600 }),
  createDirectUpload: () => ({ title: 'Direct', ttlSeconds: 600 }),
  createPlaylist: () => ({ name: 'Made by check-params', videoIds: [] }),
  updatePlaylist: () => ({ name: 'Renamed playlist' }),
  createRoom: () => ({ name: 'Made by check-params' }),
  sendRoomCommand: () => ({ type: 'seek', positionMs: 1000 }),
  // A wrong invite: members-to-be get 403, while the owner and admins pass whatever they send.
  joinRoom: () => ({ invite: 'not-the-invite' }),
  createWebhook: () => ({ url: 'http://127.0.0.2:1024/made-by-check-params', events: ['video.ready'] }),
  updateWebhook: () => ({ active: false }),
  createApiKey: () => ({ name: 'made-by-check-params', scopes: ['read'] }),
  createUser: () => ({ email: `made-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@check-params.test`, password: 'password-123' }),
  updateUser: () => ({ name: 'Renamed user' }),
  reencodeSession: () => ({ profile: '360p' }),
}

// Example query strings, by operationId (valid, as BODIES).
const QUERIES: Record<string, () => string> = {
  getOembed: () => `?url=${encodeURIComponent(`${base()}/videos/${publicVideo}`)}`,
}

/**
 * Operations checked elsewhere: their credential is a token in the path (see the dedicated tests
 * below) or the body (an invite or password-reset link: tests/e2e/auth/accounts-api.test.ts).
 */
const TOKEN_AUTH = new Set(['startDirectUpload', 'getContentHlsWithToken', 'signUp', 'resetPassword'])

let doc: Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> }
let ops: Operation[] = []
let p: Principals
let clip = ''
/** A public video nobody owns in the fixtures, for operations about what anyone may watch (oEmbed). */
let publicVideo = ''
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)

function operations(): Operation[] {
  const out: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue
      const responses = op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>
      const success = Number(Object.keys(responses).find((s) => s.startsWith('2')))
      const content = responses[String(success)]?.content ?? {}
      const [type] = Object.keys(content)
      out.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId as string,
        access: op['x-reelhouse-access'] as Access,
        success,
        responseSchema: type?.includes('json') ? content[type]?.schema : undefined,
        responseType: type,
        hasBody: !!op.requestBody,
      })
    }
  }
  return out
}

function url(op: Operation, f: Fixture): string {
  const ids: Record<string, string> = {
    id: op.access.resource === 'delivery' ? f.webhook : ((f as unknown as Record<string, string>)[op.access.resource ?? ''] ?? 'none'),
    hash: f.content,
    deliveryId: f.delivery,
    uploadId: f.upload,
    captionId: f.caption,
  }
  return base() + op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? name)) + (QUERIES[op.operationId]?.() ?? '')
}

async function call(op: Operation, f: Fixture, headers: Record<string, string>): Promise<Response> {
  const h: Record<string, string> = { ...headers }
  let body: BodyInit | undefined
  if (op.access.protocol === 'tus') {
    h['tus-resumable'] = '1.0.0'
    if (op.method === 'PATCH') {
      h['upload-offset'] = '0'
      h['content-type'] = 'application/offset+octet-stream'
      body = new Uint8Array(4)
    }
  } else if (op.operationId === 'uploadVideo') {
    const form = new FormData()
    form.set('title', 'Uploaded by check-params')
    form.set('visibility', 'private')
    form.set('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'clip.mp4')
    body = form
  } else if (op.operationId === 'addCaption') {
    const form = new FormData()
    form.set('language', 'fr')
    form.set('file', new Blob(['WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n']), 'fr.vtt')
    body = form
  } else if (op.hasBody) {
    h['content-type'] = 'application/json'
    body = JSON.stringify(BODIES[op.operationId]?.(f) ?? {})
  }
  return fetch(url(op, f), { method: op.method, headers: h, body, redirect: 'manual' })
}

/** The statuses `who` may get for `op`, from the access rules the document declares. */
function expected(op: Operation, who: Principal['name']): number[] {
  const a = op.access
  const auth = a.auth ?? 'key'
  if (auth === 'none') return [op.success]
  if (auth === 'metrics') return who === 'admin' ? [op.success] : [401]
  // A private resource asked for anonymously: "sign in" and "no such thing" both reveal nothing.
  if (who === 'anonymous') return a.anonymous ? (a.resource ? [404, 401] : [op.success]) : [401]
  if (who === 'revoked') return [401]
  if (who === 'wrongScope') return [403]
  if (a.admin) return who === 'admin' ? [op.success] : [403]
  // tus uploads in flight are private to the uploader, admins included.
  if (who === 'admin' && a.resource === 'upload') return [404]
  // Shared resources (rooms) can be read by anyone signed in who has the id; only their owner changes them.
  if (who === 'other' && a.shared) return op.method === 'GET' ? [op.success] : [403]
  if (who === 'other') return a.resource ? [404] : [op.success]
  return [op.success]
}

function wrongScopeKey(op: Operation): Record<string, string> | null {
  if ((op.access.auth ?? 'key') !== 'key' || !op.access.scope) return null
  if (op.access.admin || op.access.scope === 'admin') return p.adminNoAdminScope
  return op.access.scope === 'read' ? p.ownerWriteOnly : p.ownerReadOnly
}

function checkSchema(op: Operation, body: unknown): string[] {
  if (!op.responseSchema) return []
  // Point the document's internal refs at the registered copy of its components.
  const schema = JSON.parse(JSON.stringify(op.responseSchema).replaceAll('"#/components/', '"https://reelhouse.test/openapi#/components/'))
  const validate = ajv.compile(schema)
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
}

beforeAll(async () => {
  const res = await fetch(`${base()}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  doc = await res.json()
  ajv.addSchema({ $id: 'https://reelhouse.test/openapi', components: doc.components })
  ops = operations()
  p = await makePrincipals()
  clip = makeMp4('check-params.mp4', { seconds: 1, seed: 77 })
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  await db.content.create({ data: { hash, size: 16n, mime: 'video/mp4', state: 'STORED', storedAt: new Date(), durationMs: 1000, width: 320, height: 180 } })
  publicVideo = (await db.video.create({ data: { ownerId: p.otherId, title: 'Public check-params video', visibility: 'PUBLIC', contentHash: hash } })).id
})

afterAll(disconnectDb)

describe('check-params: every operation, every principal', () => {
  it('finds the operations in the served document', () => {
    expect(ops.length).toBeGreaterThan(40)
    for (const op of ops) expect(op.access, op.operationId).toBeTruthy()
  })

  it('answers each principal as the access rules say, leaks nothing, and matches the documented schemas', async () => {
    const failures: string[] = []
    for (const op of ops) {
      if (TOKEN_AUTH.has(op.operationId)) continue
      const needsUpload = op.access.resource === 'upload'
      const sessionState = op.operationId === 'cancelSession' ? 'RUNNING' : 'FAILED'
      const shared = await makeFixture(p, { sessionState, withUpload: needsUpload })
      const wrong = wrongScopeKey(op)
      const attempts: [Principal['name'], Record<string, string>][] = [
        ['anonymous', {}],
        ['revoked', p.revoked],
        ...(wrong ? [['wrongScope', wrong] as [Principal['name'], Record<string, string>]] : []),
        ['other', p.other],
      ]
      for (const [who, headers] of attempts) {
        const res = await call(op, shared, headers)
        const want = expected(op, who)
        const text = op.method === 'HEAD' ? '' : await res.text()
        if (!want.includes(res.status)) failures.push(`${op.method} ${op.path} as ${who}: ${res.status}, expected ${want.join(' or ')} ${text.slice(0, 160)}`)
        if (res.status >= 400 && op.method !== 'HEAD' && op.access.protocol !== 'tus' && op.access.auth !== 'metrics') {
          if (!(res.headers.get('content-type') ?? '').includes('application/problem+json')) {
            failures.push(`${op.method} ${op.path} as ${who}: ${res.status} without problem+json`)
          }
        }
        // Nothing of the owner's may show through to anyone else.
        // A shared room shows its id and the ids in its playlist (not the videos: those stay 404).
        const secrets = op.access.shared ? shared.secrets.filter((s) => s !== shared.room && s !== shared.video) : shared.secrets
        const leaked = secrets.filter((s) => text.includes(s))
        if (leaked.length) failures.push(`${op.method} ${op.path} as ${who}: leaked ${leaked.join(', ')}`)
      }
      // Owner and admin each on fresh resources: a DELETE by one must not decide the other's answer.
      for (const [who, headers] of [
        ['owner', p.owner],
        ['admin', p.admin],
      ] as [Principal['name'], Record<string, string>][]) {
        const f = who === 'owner' ? shared : await makeFixture(p, { sessionState, withUpload: needsUpload })
        const res = await call(op, f, headers)
        const want = expected(op, who)
        const text = op.method === 'HEAD' ? '' : await res.text()
        if (!want.includes(res.status)) failures.push(`${op.method} ${op.path} as ${who}: ${res.status}, expected ${want.join(' or ')} ${text.slice(0, 160)}`)
        else if (res.status < 300 && op.responseSchema && text) {
          const errors = checkSchema(op, JSON.parse(text))
          if (errors.length) failures.push(`${op.method} ${op.path} as ${who}: body does not match the schema: ${errors.slice(0, 3).join('; ')}`)
        }
      }
    }
    expect(failures).toEqual([])
  })
})

describe('check-params: token credentials and validators', () => {
  it('refuses forged, malformed and other-content playback tokens, and serves a valid one', async () => {
    const f = await makeFixture(p)
    const other = await makeFixture(p)
    const mint = async (videoId: string) =>
      (await (await fetch(`${base()}/api/v1/videos/${videoId}/playback-token`, { method: 'POST', headers: p.owner })).json()) as { token: string }
    const { token } = await mint(f.video)
    const { token: otherToken } = await mint(other.video)
    const at = (t: string) => fetch(`${base()}/api/v1/content/${f.content}/t/${t}/master.m3u8`)
    expect((await at(token)).status).toBe(200)
    expect((await at(`${token.slice(0, -4)}AAAA`)).status).toBe(401)
    expect((await at('not-a-token')).status).toBe(401)
    expect((await at(otherToken)).status).toBe(403)
  })

  it('refuses a forged or reused direct upload URL', async () => {
    const res = await fetch(`${base()}/api/v1/uploads`, { method: 'POST', headers: { ...p.owner, 'content-type': 'application/json' }, body: '{}' })
    expect(res.status).toBe(201)
    const { uploadUrl } = (await res.json()) as { uploadUrl: string }
    const create = (u: string) =>
      fetch(u, {
        method: 'POST',
        headers: { 'tus-resumable': '1.0.0', 'upload-length': '4', 'upload-metadata': `filename ${Buffer.from('a.mp4').toString('base64')}` },
      })
    const forged = uploadUrl.replace(/\.([A-Za-z0-9_-]+)$/, '.AAAA$1')
    expect((await create(forged)).status).toBe(401)
    const first = await create(uploadUrl)
    expect(first.status).toBe(201)
    expect(first.headers.get('location')).toContain('/api/v1/uploads/direct/')
    expect((await create(uploadUrl)).status).toBe(409)
    // The upload's own URL cannot be reused with another upload id.
    expect((await fetch(`${base()}${new URL(uploadUrl).pathname}/someone-else`, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } })).status).toBe(404)
  })

  it('answers 404 problem+json for a path id that cannot name a resource', async () => {
    for (const path of [
      `/api/v1/videos/${'x'.repeat(200)}`,
      '/api/v1/sessions/%07/status',
      '/api/v1/content/not-a-hash',
      `/api/v1/webhooks/${'w'.repeat(129)}/deliveries`,
    ]) {
      const res = await fetch(`${base()}${path}`, { headers: p.owner })
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type'), path).toContain('application/problem+json')
    }
  })

  it('lists each validation failure by field', async () => {
    const res = await fetch(`${base()}/api/v1/webhooks`, {
      method: 'POST',
      headers: { ...p.owner, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://nope', events: ['video.exploded'] }),
    })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = (await res.json()) as { code: string; errors: { path: string }[] }
    expect(problem.code).toBe('INVALID_INPUT')
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['events.0', 'url'])
    const bad = await fetch(`${base()}/api/v1/webhooks`, { method: 'POST', headers: { ...p.owner, 'content-type': 'application/json' }, body: '{nope' })
    expect(bad.status).toBe(400)
  })

  it('does not let a key mint a key stronger than itself', async () => {
    const res = await fetch(`${base()}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...p.ownerWriteOnly, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'escalate', scopes: ['read', 'write'] }),
    })
    expect(res.status).toBe(403)
  })

  it('rate-limits a key with 429 and Retry-After, and leaves other keys alone', async () => {
    const { createApiKey } = await import('@/lib/auth/api-keys')
    const { key } = await createApiKey(p.otherId, { name: 'hammer', scopes: ['read'] })
    const h = { authorization: `Bearer ${key}` }
    let limited: { status: number; retryAfter: number; code: string } | null = null
    let limit = 0
    for (let i = 0; i < 2000 && !limited; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => fetch(`${base()}/api/v1/users/me`, { headers: h })))
      limit ||= Number(batch[0].headers.get('ratelimit-limit'))
      for (const r of batch) {
        const body = (await r.json()) as { code?: string }
        if (r.status === 429 && !limited) limited = { status: r.status, retryAfter: Number(r.headers.get('retry-after')), code: body.code ?? '' }
      }
    }
    expect(limit).toBeGreaterThan(0)
    expect(limited?.status).toBe(429)
    expect(limited?.retryAfter).toBeGreaterThanOrEqual(1)
    expect(limited?.code).toBe('RATE_LIMITED')
    expect((await fetch(`${base()}/api/v1/users/me`, { headers: p.other })).status).toBe(200)
  })

  it('keeps the fixtures private: another user lists none of them', async () => {
    const f = await makeFixture(p)
    for (const path of ['/api/v1/videos?limit=100', '/api/v1/sessions?limit=100', '/api/v1/webhooks', '/api/v1/api-keys']) {
      const text = await (await fetch(`${base()}${path}`, { headers: p.other })).text()
      for (const s of f.secrets) expect(text, `${path} leaks ${s}`).not.toContain(s)
    }
    expect(await db.video.count({ where: { id: f.video } })).toBe(1)
  })
})
