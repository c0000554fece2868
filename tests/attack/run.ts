/**
 * An attacker's tour of a running Reelhouse: stored script through uploads, webhooks to internal
 * addresses, malformed requests, cross-site cookie writes, leaks through dedup, sign-in guessing.
 * It prints one line per probe and a summary, and exits 1 when anything got through.
 *
 *   npx tsx tests/attack/run.ts --base http://127.0.0.1:3000 --email admin@… --password …
 *
 * It needs an admin account (the one `npm start` prints on first start); it creates two users of
 * its own and leaves their videos behind (all private).
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: { base: { type: 'string', default: 'http://127.0.0.1:3000' }, email: { type: 'string' }, password: { type: 'string' } },
})
if (!args.email || !args.password) {
  console.error('usage: tests/attack/run.ts --base URL --email ADMIN_EMAIL --password ADMIN_PASSWORD')
  process.exit(2)
}
const BASE = args.base.replace(/\/$/, '')
const ORIGIN = new URL(BASE).origin
const EVIL = 'https://evil.example'

interface Finding {
  area: string
  probe: string
  ok: boolean
  detail: string
}
const findings: Finding[] = []
function check(area: string, probe: string, ok: boolean, detail = '') {
  findings.push({ area, probe, ok, detail })
  console.log(`${ok ? 'held ' : 'FOUND'}  [${area}] ${probe}${detail ? ` — ${detail}` : ''}`)
}

type Headers = Record<string, string>
const call = (p: string, init: RequestInit & { headers?: Headers } = {}) => fetch(`${BASE}${p}`, { redirect: 'manual', ...init })
const is4xx = (s: number) => s >= 400 && s < 500
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const problemType = (r: Response) => (r.headers.get('content-type') ?? '').split(';')[0]

// ---- accounts ---------------------------------------------------------------------------------

/** next-auth credentials sign-in; the session cookie, or null when refused. */
async function signIn(email: string, password: string): Promise<string | null> {
  const csrf = await call('/api/auth/csrf')
  const jar = cookiesOf(csrf)
  const { csrfToken } = (await csrf.json()) as { csrfToken: string }
  const r = await call('/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar, origin: ORIGIN },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  })
  const session = cookiesOf(r)
    .split('; ')
    .find((c) => /session-token=/.test(c))
  return session ? `${jar}; ${session}` : null
}

function cookiesOf(r: Response): string {
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

async function keyFor(cookie: string, scopes = ['read', 'write']): Promise<Headers> {
  const r = await call('/api/v1/api-keys', {
    method: 'POST',
    headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'attack', scopes }),
  })
  if (r.status !== 201) throw new Error(`could not create an API key: ${r.status} ${await r.text()}`)
  return { authorization: `Bearer ${((await r.json()) as { key: string }).key}` }
}

async function newUser(admin: Headers): Promise<{ email: string; password: string; cookie: string; key: Headers }> {
  const email = `attack-${Date.now()}-${randomBytes(3).toString('hex')}@attack.test`
  const password = `pw-${randomBytes(8).toString('hex')}`
  const r = await call('/api/v1/users', {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (r.status !== 201) throw new Error(`could not create a user: ${r.status} ${await r.text()}`)
  const cookie = await signIn(email, password)
  if (!cookie) throw new Error(`could not sign in as ${email}`)
  return { email, password, cookie, key: await keyFor(cookie) }
}

// ---- uploads ----------------------------------------------------------------------------------

async function multipart(key: Headers, bytes: Buffer, type: string, name: string, fields: Record<string, string> = {}) {
  const form = new FormData()
  form.set('title', fields.title ?? name)
  form.set('visibility', fields.visibility ?? 'PRIVATE')
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), name)
  return call('/api/v1/videos', { method: 'POST', headers: key, body: form })
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** A whole tus upload in one PATCH; the final response's status. */
async function tus(url: string, key: Headers, bytes: Buffer, meta: Record<string, string>): Promise<number> {
  const created = await fetch(url, {
    method: 'POST',
    headers: {
      ...key,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': Object.entries(meta)
        .map(([k, v]) => `${k} ${b64(v)}`)
        .join(','),
    },
  })
  if (created.status !== 201) return created.status
  const location = new URL(created.headers.get('location') ?? '', url).toString()
  const patched = await fetch(location, {
    method: 'PATCH',
    headers: { ...key, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: new Uint8Array(bytes),
  })
  return patched.status
}

function mp4WithScriptMetadata(): Buffer | null {
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rh-attack-'))
    const file = path.join(dir, 'evil.mp4')
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x90:rate=10',
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-metadata',
      'title=<script>alert(document.domain)</script>',
      '-metadata',
      `comment=<html><body><script>fetch('/api/v1/api-keys')</script>`,
      file,
    ])
    return existsSync(file) ? readFileSync(file) : null
  } catch {
    return null
  }
}

/** The original of `hash` as the owner gets it: never a document, always fenced. */
async function checkOriginal(probe: string, hash: string, key: Headers) {
  const r = await call(`/api/v1/content/${hash}/original`, { headers: key })
  const type = (r.headers.get('content-type') ?? '').toLowerCase()
  const documentLike = /html|xml|svg|javascript|text\//.test(type)
  const fenced = r.headers.get('x-content-type-options') === 'nosniff' && /sandbox/.test(r.headers.get('content-security-policy') ?? '')
  const ok = r.status >= 400 ? fenced || r.status === 404 : !documentLike && fenced
  check(
    'xss',
    probe,
    ok,
    `${r.status} ${type || '(no type)'} nosniff=${r.headers.get('x-content-type-options')} csp=${r.headers.get('content-security-policy')} disposition=${r.headers.get('content-disposition')}`,
  )
}

// ---- raw HTTP ---------------------------------------------------------------------------------

/** A request fetch refuses to send (request target `*`, undecodable paths); the status line. */
function raw(requestLine: string, headers: string[] = []): Promise<number> {
  const { hostname, port } = new URL(BASE)
  return new Promise((resolve) => {
    const sock = net.connect(Number(port || 80), hostname, () => {
      sock.write(`${requestLine}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`)
    })
    let data = ''
    sock.on('data', (d) => {
      data += d.toString('latin1')
    })
    sock.on('close', () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(data)?.[1] ?? 0)))
    sock.on('error', () => resolve(0))
    sock.setTimeout(10_000, () => sock.destroy())
  })
}

// ---- the tour ---------------------------------------------------------------------------------

async function main() {
  const adminCookie = await signIn(args.email!, args.password!)
  if (!adminCookie) throw new Error('admin sign-in failed (wrong credentials, or throttled by an earlier run)')
  const admin = await keyFor(adminCookie, ['read', 'write', 'admin'])
  const alice = await newUser(admin)
  const bob = await newUser(admin)

  // 1. Stored script through uploads.
  const html = Buffer.from(`<!doctype html><script>fetch('/api/v1/api-keys',{method:'POST'})</script>${randomBytes(8).toString('hex')}`)
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><!--${randomBytes(8).toString('hex')}--></svg>`)
  const upHtml = await multipart(alice.key, html, 'text/html', 'page.html')
  check('xss', 'multipart text/html accepted or refused cleanly', upHtml.status < 500, String(upHtml.status))
  await checkOriginal('multipart text/html → /original', sha256(html), alice.key)
  const upSvg = await multipart(alice.key, svg, 'image/svg+xml', 'pic.svg')
  check('xss', 'multipart image/svg+xml accepted or refused cleanly', upSvg.status < 500, String(upSvg.status))
  await checkOriginal('multipart image/svg+xml → /original', sha256(svg), alice.key)
  const tusHtml = Buffer.concat([html, randomBytes(4)])
  const tusStatus = await tus(`${BASE}/api/v1/uploads`, alice.key, tusHtml, {
    filename: 'x.html',
    filetype: 'text/html',
    title: 'tus page',
    visibility: 'PRIVATE',
  })
  check('xss', 'tus filetype text/html accepted or refused cleanly', tusStatus < 500, String(tusStatus))
  await checkOriginal('tus text/html → /original', sha256(tusHtml), alice.key)
  const direct = await call('/api/v1/uploads', {
    method: 'POST',
    headers: { ...alice.key, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'direct', visibility: 'PRIVATE' }),
  })
  if (direct.status === 201) {
    const { uploadUrl } = (await direct.json()) as { uploadUrl: string }
    const directHtml = Buffer.concat([html, randomBytes(4)])
    const s = await tus(uploadUrl, {}, directHtml, { filename: 'y.html', filetype: 'text/html' })
    check('xss', 'direct upload text/html accepted or refused cleanly', s < 500, String(s))
    await checkOriginal('direct upload text/html → /original', sha256(directHtml), alice.key)
    const small = await call('/api/v1/uploads', {
      method: 'POST',
      headers: { ...alice.key, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'small', maxSizeBytes: 2000 }),
    })
    const smallUrl = ((await small.json()) as { uploadUrl: string }).uploadUrl
    const deferred = await fetch(smallUrl, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-defer-length': '1' } })
    let accepted = 0
    if (deferred.status === 201) {
      const loc = new URL(deferred.headers.get('location') ?? '', smallUrl).toString()
      const p = await fetch(loc, {
        method: 'PATCH',
        headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'upload-length': '5006', 'content-type': 'application/offset+octet-stream' },
        body: new Uint8Array(randomBytes(5006)),
      })
      accepted = p.status < 300 ? Number(p.headers.get('upload-offset') ?? 0) : 0
    }
    check('limits', 'Upload-Defer-Length cannot pass maxSizeBytes 2000', accepted <= 2000, `create ${deferred.status}, accepted ${accepted} bytes`)
  } else check('xss', 'direct upload URL created', false, String(direct.status))
  const evilMp4 = mp4WithScriptMetadata()
  if (evilMp4) {
    const r = await multipart(alice.key, evilMp4, 'text/html', 'evil.html')
    check('xss', 'MP4 with <script> metadata, declared text/html', r.status < 500, String(r.status))
    await checkOriginal('MP4 with <script> metadata → /original', sha256(evilMp4), alice.key)
  }

  // 2. Webhooks to internal addresses (every spelling), and to a receiver on this machine.
  let hits = 0
  const receiver = http.createServer((_req, res) => {
    hits++
    res.end('internal secret')
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const rport = (receiver.address() as net.AddressInfo).port
  const internal = [
    `http://127.0.0.1:${rport}/`,
    `http://localhost:${rport}/`,
    'http://[::1]/',
    'http://0.0.0.0/',
    'http://2130706433/',
    'http://127.1/',
    'http://0x7f.0.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://224.0.0.1/',
    'file:///etc/passwd',
    'gopher://127.0.0.1/',
  ]
  for (const url of internal) {
    const r = await call('/api/v1/webhooks', { method: 'POST', headers: { ...alice.key, 'content-type': 'application/json' }, body: JSON.stringify({ url }) })
    check('ssrf', `webhook to ${url} refused`, is4xx(r.status), String(r.status))
  }

  // 3. Malformed requests: 4xx problem+json, never 500.
  const malformed: [string, string, RequestInit & { headers?: Headers }][] = [
    ['bad %-escape in a cookie', '/api/v1/videos', { headers: { cookie: 'a=%zz' } }],
    ['bad %-escape in a cookie, signed in', '/api/v1/users/me', { headers: { cookie: `${alice.cookie}; b=%E0%A4%A` } }],
    ['%00 in a path id', '/api/v1/videos/abc%00def', {}],
    ['%00 in q', '/api/v1/videos?q=a%00b', {}],
    ['%00 in cursor', '/api/v1/videos?cursor=a%00b', {}],
    ['%00 in worker', '/api/v1/sessions?worker=a%00b', { headers: admin }],
    ['%00 in ownerId', '/api/v1/admin/videos?ownerId=a%00b', { headers: admin }],
    ['%00 in a JSON string', '/api/v1/rooms', { method: 'POST', headers: { ...alice.key, 'content-type': 'application/json' }, body: '{"name":"a\\u0000b"}' }],
    ['multipart without a boundary', '/api/v1/videos', { method: 'POST', headers: { ...alice.key, 'content-type': 'multipart/form-data' }, body: 'x' }],
    ['NUL title by multipart', '/api/v1/videos', {}],
    [
      'JSON body of 2 MiB',
      '/api/v1/rooms',
      { method: 'POST', headers: { ...alice.key, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(2 << 20) }) },
    ],
  ]
  for (const [probe, p, init] of malformed) {
    const r =
      probe === 'NUL title by multipart'
        ? await multipart(alice.key, Buffer.concat([html, randomBytes(6)]), 'video/mp4', 'nul.mp4', { title: 'a\u0000b' })
        : await call(p, init)
    // A cookie that is not ours is ignored (any answer but a 5xx); everything else is refused as a problem.
    if (probe.includes('cookie')) {
      check('input', probe, r.status < 500, `${r.status} ${problemType(r)}`)
      continue
    }
    const wanted = probe.startsWith('JSON body of') ? r.status === 413 : is4xx(r.status)
    check('input', probe, wanted && /problem\+json/.test(problemType(r)), `${r.status} ${problemType(r)}`)
  }
  for (const target of ['*', '/api/v1/videos/%zz', '/%', '/api/v1/content/%ff/original', '/api/v1/videos/%']) {
    const status = await raw(`${target === '*' ? 'OPTIONS' : 'GET'} ${target} HTTP/1.1`)
    check('input', `request target ${target}`, status > 0 && status < 500, String(status))
  }

  // 4. Cookie-authenticated writes from another site.
  const before = await (await call('/api/v1/api-keys', { headers: alice.key })).json()
  const csrf: [string, string, string, string, string][] = [
    ['text/plain POST /api/v1/webhooks', 'POST', '/api/v1/webhooks', 'text/plain', JSON.stringify({ url: 'https://example.com/hook' })],
    ['text/plain POST /api/v1/api-keys', 'POST', '/api/v1/api-keys', 'text/plain', JSON.stringify({ name: 'stolen' })],
    ['form POST /api/v1/rooms', 'POST', '/api/v1/rooms', 'application/x-www-form-urlencoded', 'name=evil'],
  ]
  for (const [probe, method, p, type, body] of csrf) {
    const r = await call(p, { method, headers: { cookie: alice.cookie, origin: EVIL, 'content-type': type }, body })
    check('csrf', `${probe} from ${EVIL}`, r.status === 403, String(r.status))
  }
  const mine = (await (await call('/api/v1/videos?mine=1', { headers: alice.key })).json()) as { items?: { id: string }[] }
  const someVideo = mine.items?.[0]?.id
  if (someVideo) {
    const r = await call(`/api/v1/videos/${someVideo}`, {
      method: 'PATCH',
      headers: { cookie: alice.cookie, origin: EVIL, 'content-type': 'application/json' },
      body: '{"visibility":"PUBLIC"}',
    })
    check('csrf', `PATCH of a video from ${EVIL}`, r.status === 403, String(r.status))
  }
  const after = await (await call('/api/v1/api-keys', { headers: alice.key })).json()
  check('csrf', 'no API key minted cross-site', JSON.stringify(before).length === JSON.stringify(after).length)
  const page = await call('/')
  const csp = page.headers.get('content-security-policy') ?? ''
  check('headers', 'pages carry a CSP with script-src and frame-ancestors', /script-src/.test(csp) && /frame-ancestors/.test(csp), csp.slice(0, 120))
  check('headers', 'pages carry Referrer-Policy', !!page.headers.get('referrer-policy'), page.headers.get('referrer-policy') ?? '(none)')

  // 5. Leaks through dedup: Bob uploads bytes Alice keeps private.
  const secretTitle = `secret-${randomBytes(4).toString('hex')}`
  const shared = evilMp4 ? Buffer.concat([evilMp4]) : Buffer.concat([html, randomBytes(8)])
  const privateUp = await multipart(alice.key, Buffer.from(shared), 'video/mp4', 'mine.mp4', { title: secretTitle })
  const bobUp = await multipart(bob.key, Buffer.from(shared), 'video/mp4', 'bob.mp4', { title: 'bob' })
  check('leaks', 'both uploads of the same bytes accepted', privateUp.status < 300 && bobUp.status < 300, `${privateUp.status}, ${bobUp.status}`)
  const bobSessions = await (await call('/api/v1/sessions', { headers: bob.key })).text()
  check('leaks', "Bob's session list does not show Alice's private title", !bobSessions.includes(secretTitle))
  const bobSearch = await (await call(`/api/v1/sessions?q=${secretTitle}`, { headers: bob.key })).text()
  check('leaks', "Bob's session search does not find Alice's private title", !bobSearch.includes(secretTitle))
  const foreignCursor = await call(`/api/v1/videos?cursor=${someVideo ?? 'x'}`, { headers: bob.key })
  check('leaks', "someone's private id as a cursor is refused", foreignCursor.status === 400, String(foreignCursor.status))

  // 6. Sign-in guessing, on Bob's account.
  for (let i = 0; i < 30; i++) await signIn(bob.email, `wrong-${i}`)
  const guessed = await signIn(bob.email, bob.password)
  check('sign-in', '30 wrong passwords, then the right one, is throttled', guessed === null)

  await new Promise((r) => setTimeout(r, 3000))
  check('ssrf', 'the internal receiver was never called', hits === 0, `${hits} requests`)
  receiver.close()

  const found = findings.filter((f) => !f.ok)
  const areas = [...new Set(findings.map((f) => f.area))]
  console.log(`\n${findings.length} probes, ${found.length} found something`)
  for (const a of areas) {
    const of = findings.filter((f) => f.area === a)
    console.log(`  ${a.padEnd(8)} ${of.length - of.filter((f) => !f.ok).length}/${of.length} held`)
  }
  process.exit(found.length ? 1 : 0)
}

main().catch((err) => {
  console.error(`attack run stopped: ${(err as Error).message}`)
  process.exit(2)
})
