import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, makeMp4, userWithKey, waitForStatus } from './client'

// An uploader is an attacker: whatever type an upload claims, what comes back from our origin must
// never be a document that runs script, and a refused upload must leave nothing behind.

const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/api/v1/api-keys",{method:"POST"})</script></body></html>\n'.repeat(4))
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>alert(1)</script></svg>\n'.repeat(4))
const CSP = "sandbox; default-src 'none'"
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const b64 = (s: string) => Buffer.from(s).toString('base64')
const dataDir = () => inject('dataDir')
const contentDirOf = (hash: string) => path.join(dataDir(), 'content', hash.slice(0, 2), hash)
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  )
/** Distinct bytes per call, so every upload is new content (no dedup with an earlier test). */
const unique = (b: Buffer) => Buffer.concat([b, Buffer.from(`<!-- ${Math.random()} -->`)])

function expectMediaHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('content-security-policy')).toBe(CSP)
}

/** The original as a browser opening the link would get it: never a document type, never inline unless it is our video type. */
async function expectHarmlessOriginal(hash: string, headers: Record<string, string>) {
  const res = await fetch(`${base()}/api/v1/content/${hash}/original`, { headers })
  expect(res.status).toBe(200)
  expectMediaHeaders(res)
  expect(res.headers.get('content-type')).toBe('application/octet-stream')
  expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
  await res.arrayBuffer()
}

async function multipart(bytes: Buffer, type: string, fields: Record<string, string>, headers: Record<string, string>) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), `page.${type.includes('svg') ? 'svg' : 'html'}`)
  return fetch(`${base()}/api/v1/videos`, { method: 'POST', body: form, headers })
}

/** A whole tus upload in two requests (create, one PATCH) against `endpoint`. */
async function tusUpload(endpoint: string, bytes: Buffer, metadata: Record<string, string>, headers: Record<string, string> = {}) {
  const upload = Object.entries(metadata)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',')
  const created = await fetch(endpoint, {
    method: 'POST',
    headers: { ...headers, 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': upload },
  })
  if (created.status !== 201) return { created, patched: null }
  const patched = await fetch(new URL(created.headers.get('location')!, base()), {
    method: 'PATCH',
    headers: { ...headers, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: new Uint8Array(bytes),
  })
  return { created, patched }
}

async function directUploadUrl(auth: Record<string, string>, body: Record<string, unknown> = {}) {
  const res = await fetch(`${base()}/api/v1/uploads`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(201)
  return ((await res.json()) as { uploadUrl: string }).uploadUrl
}

async function uploadsDirNames(): Promise<Set<string>> {
  return new Set(await readdir(path.join(dataDir(), 'uploads')).catch(() => []))
}

describe('originals are never served as documents', () => {
  afterAll(disconnectDb)

  it('an HTML or SVG "video" sent by multipart comes back as an attachment of application/octet-stream', async () => {
    const { auth } = await userWithKey()
    for (const [bytes, type] of [
      [unique(HTML), 'text/html'],
      [unique(SVG), 'image/svg+xml'],
    ] as const) {
      const res = await multipart(bytes, type, { title: `claims ${type}`, visibility: 'public' }, auth)
      expect(res.status).toBe(201)
      const video = (await res.json()) as { contentHash: string; id: string }
      expect(video.contentHash).toBe(sha256(bytes))
      // Until it is stored only its owner may read it (public bytes only once stored).
      await expectHarmlessOriginal(video.contentHash, auth)
      // Once the worker's probe has refused it, it stays a download (the bytes are kept for the owner).
      const failed = await waitForStatus(video.id, auth, ['failed'])
      expect(failed.status).toBe('failed')
      await expectHarmlessOriginal(video.contentHash, auth)
    }
  })

  it('an HTML file sent by tus with filetype text/html is no document either', async () => {
    const { auth } = await userWithKey()
    const bytes = unique(HTML)
    const { created, patched } = await tusUpload(`${base()}/api/v1/uploads`, bytes, { title: 'tus page', filename: 'x.html', filetype: 'text/html' }, auth)
    expect(created.status).toBe(201)
    expect(patched?.status).toBe(204)
    expect(patched?.headers.get('reelhouse-video-id')).toBeTruthy()
    await expectHarmlessOriginal(sha256(bytes), auth)
  })

  it('an HTML file sent to a direct upload URL with filetype text/html is no document either', async () => {
    const { auth } = await userWithKey()
    const bytes = unique(HTML)
    const { created, patched } = await tusUpload(await directUploadUrl(auth), bytes, { filename: 'x.html', filetype: 'text/html' })
    expect(created.status).toBe(201)
    expect(patched?.status).toBe(204)
    await expectHarmlessOriginal(sha256(bytes), auth)
  })

  it('an MP4 carrying <script> in its metadata plays as video/mp4, sandboxed, on every response of the media path', async () => {
    const { auth } = await userWithKey()
    const clip = makeMp4('script.mp4', { seed: 71, title: '<script>alert(document.cookie)</script>' })
    const bytes = await readFile(clip)
    const res = await multipart(bytes, 'text/html', { title: 'innocent', visibility: 'public' }, auth)
    expect(res.status).toBe(201)
    const video = (await res.json()) as { id: string; contentHash: string }
    // Recognised from its bytes at once, so it plays for its owner while it is being processed.
    const early = await fetch(`${base()}/api/v1/content/${video.contentHash}/original`, { headers: { ...auth, range: 'bytes=0-99' } })
    expect(early.status).toBe(206)
    expect(early.headers.get('content-type')).toBe('video/mp4')
    expectMediaHeaders(early)
    await early.arrayBuffer()

    const ready = await waitForStatus(video.id, auth, ['ready', 'failed'])
    expect(ready.status).toBe('ready')
    const url = `${base()}/api/v1/content/${video.contentHash}`
    const whole = await fetch(`${url}/original`)
    expect(whole.status).toBe(200)
    expect(whole.headers.get('content-type')).toBe('video/mp4')
    expect(whole.headers.get('content-disposition')).toMatch(/^inline; filename="[0-9a-f]{12}\.mp4"/)
    expectMediaHeaders(whole)
    const etag = whole.headers.get('etag')!
    await whole.arrayBuffer()

    const answers = await Promise.all([
      fetch(`${url}/original`, { headers: { 'if-none-match': etag } }), // 304
      fetch(`${url}/original`, { headers: { range: `bytes=${bytes.length + 10}-` } }), // 416
      fetch(`${url}/master.m3u8`),
      fetch(`${url}/manifest.mpd`, { method: 'HEAD' }),
      fetch(`${url}/no-such-file`), // 404 problem
      fetch(`${url}/original`, { method: 'POST' }), // 405 problem
      fetch(`${base()}/api/v1/content/${'0'.repeat(64)}/original`), // unknown content, anonymous: 401
      fetch(`${url}/info`),
      fetch(url),
    ])
    expect(answers.map((r) => r.status)).toEqual([304, 416, 200, 200, 404, 405, 401, 200, 200])
    for (const r of answers) {
      expectMediaHeaders(r)
      await r.arrayBuffer()
    }
  })
})

describe('a refused upload leaves nothing behind', () => {
  it('a title with NUL answers 422 naming the field, by multipart and by tus, and stores nothing', async () => {
    const { auth } = await userWithKey()
    const clip = await readFile(makeMp4('nul.mp4', { seed: 72 }))
    const before = await uploadsDirNames()

    const form = await multipart(clip, 'video/mp4', { title: 'evil\u0000title' }, auth)
    expect(form.status).toBe(422)
    expect(form.headers.get('content-type')).toBe('application/problem+json')
    expect(((await form.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['title'])

    const { created } = await tusUpload(`${base()}/api/v1/uploads`, clip, { title: 'evil\u0000title', filetype: 'video/mp4' }, auth)
    expect(created.status).toBe(422)
    expect(await created.text()).toContain('title')

    const direct = await fetch(`${base()}/api/v1/uploads`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'evil\u0000description' }),
    })
    expect(direct.status).toBe(422)

    const hash = sha256(clip)
    expect(await exists(contentDirOf(hash))).toBe(false)
    expect(await db.content.findUnique({ where: { hash } })).toBeNull()
    const leftovers = [...(await uploadsDirNames())].filter((n) => !before.has(n))
    expect(leftovers).toEqual([])
    const tmp = await readdir(path.join(dataDir(), 'tmp')).catch(() => [])
    expect(tmp.filter((n) => n.startsWith('upload-'))).toEqual([])
  })

  it('multipart/form-data without a boundary is a 400 problem', async () => {
    const { auth } = await userWithKey()
    const res = await fetch(`${base()}/api/v1/videos`, { method: 'POST', headers: { ...auth, 'content-type': 'multipart/form-data' }, body: 'x'.repeat(100) })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
  })

  it('Upload-Defer-Length does not get past a direct upload URL size limit', async () => {
    const { auth } = await userWithKey()
    const uploadUrl = await directUploadUrl(auth, { maxSizeBytes: 2000 })
    const created = await fetch(uploadUrl, {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-defer-length': '1', 'upload-metadata': `filename ${b64('big.mp4')}` },
    })
    expect(created.status).toBe(201)
    const location = new URL(created.headers.get('location')!, base())
    const patch = (headers: Record<string, string>, body: Buffer) =>
      fetch(location, {
        method: 'PATCH',
        headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', ...headers },
        body: new Uint8Array(body),
      })
    const big = Buffer.alloc(5006, 1)
    // Declaring the length late, or never: both are refused past 2000 bytes.
    expect((await patch({ 'upload-length': '5006' }, big)).status).toBe(413)
    expect((await patch({}, big)).status).toBe(413)
    const head = await fetch(location, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } })
    expect(Number(head.headers.get('upload-offset') ?? 0)).toBeLessThanOrEqual(2000)
    expect(await db.content.findUnique({ where: { hash: sha256(big) } })).toBeNull()
  })
})
