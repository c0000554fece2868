import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Upload } from 'tus-js-client'
import { afterAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, makeMp4, sessionsFor, uploadMultipart, userWithKey } from './client'

const sha256 = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex')

describe('ingest', () => {
  afterAll(disconnectDb)

  it('stores a multipart upload by its SHA-256, and the same bytes again make a new video but no new copy or session', async () => {
    const { auth } = await userWithKey()
    const clip = makeMp4('first.mp4', { seed: 1 })
    const first = await uploadMultipart(clip, { title: 'First', visibility: 'public' }, auth)
    expect(first.status).toBe(201)
    const a = await first.json()
    expect(a.contentHash).toBe(await sha256(clip))
    expect(a.deduplicated).toBe(false)
    // Until it is processed the content is not public: its URLs carry the owner's playback token.
    expect(a.playback.direct).toMatch(new RegExp(`^/api/v1/content/${a.contentHash}/t/[^/]+/original$`))
    const stored = path.join(inject('dataDir'), 'content', a.contentHash.slice(0, 2), a.contentHash, 'original')
    expect((await stat(stored)).size).toBe((await stat(clip)).size)

    const again = await (await uploadMultipart(clip, { title: 'Again' }, auth)).json()
    expect(again.id).not.toBe(a.id)
    expect(again.contentHash).toBe(a.contentHash)
    expect(again.deduplicated).toBe(true)
    expect(await sessionsFor(a.contentHash)).toHaveLength(1)

    // The original is playable by direct URL as soon as the upload completes, for the uploader only.
    const head = await fetch(`${base()}${a.playback.direct}`, { headers: { range: 'bytes=0-99' } })
    expect(head.status).toBe(206)
    expect(Buffer.from(await head.arrayBuffer())).toEqual((await readFile(clip)).subarray(0, 100))
    const plain = await fetch(`${base()}/api/v1/content/${a.contentHash}/original`)
    const isStored = async () => (await db.content.findUniqueOrThrow({ where: { hash: a.contentHash } })).state === 'STORED'
    // (A 2 s clip may already be packaged, and then public.)
    expect(plain.status === 401 || (await isStored()), `anonymous original answered ${plain.status} before processing ended`).toBe(true)
  })

  it('refuses uploads without credentials, without the write scope, or without a title', async () => {
    const clip = makeMp4('refused.mp4', { seed: 2 })
    expect((await uploadMultipart(clip, { title: 'x' }, {})).status).toBe(401)
    const readOnly = await userWithKey('USER', ['read'])
    const r = await uploadMultipart(clip, { title: 'x' }, readOnly.auth)
    expect(r.status).toBe(403)
    expect(r.headers.get('content-type')).toBe('application/problem+json')
    const { auth } = await userWithKey()
    const noTitle = await uploadMultipart(clip, {}, auth)
    expect(noTitle.status).toBe(422)
    expect((await noTitle.json()).errors[0].path).toBe('title')
    const notMultipart = await fetch(`${base()}/api/v1/videos`, { method: 'POST', body: '{}', headers: { ...auth, 'content-type': 'application/json' } })
    expect(notMultipart.status).toBe(415)
  })

  it('resumes a tus upload interrupted at half, and the stored hash equals the source', async () => {
    const { auth } = await userWithKey()
    const clip = makeMp4('resumable.mp4', { seconds: 6, size: '640x360', seed: 3 })
    const bytes = await readFile(clip)
    const common = {
      endpoint: `${base()}/api/v1/uploads`,
      headers: auth,
      chunkSize: 64 * 1024,
      metadata: { title: 'Resumed', filename: 'resumable.mp4', filetype: 'video/mp4', visibility: 'private' },
      retryDelays: [],
    }
    // First attempt: stop after roughly half of the bytes went through.
    const uploadUrl = await new Promise<string>((resolve, reject) => {
      const up: Upload = new Upload(bytes, {
        ...common,
        onProgress(sent, total) {
          if (sent >= total / 2) {
            void up.abort().then(() => resolve(up.url!))
          }
        },
        onError: reject,
      })
      up.start()
    })
    const partial = await fetch(uploadUrl, { method: 'HEAD', headers: { ...auth, 'tus-resumable': '1.0.0' } })
    const offset = Number(partial.headers.get('upload-offset'))
    expect(offset).toBeGreaterThan(0)
    expect(offset).toBeLessThan(bytes.length)

    // Another user cannot see or continue it.
    const stranger = await userWithKey()
    expect((await fetch(uploadUrl, { method: 'HEAD', headers: { ...stranger.auth, 'tus-resumable': '1.0.0' } })).status).toBe(404)

    let videoId: string | null = null
    let resumedFrom = -1
    await new Promise<void>((resolve, reject) => {
      const up = new Upload(bytes, {
        ...common,
        uploadUrl,
        onProgress(sent) {
          if (resumedFrom < 0) resumedFrom = sent
        },
        onAfterResponse(_req, res) {
          videoId ??= res.getHeader('Reelhouse-Video-Id') ?? null
        },
        onSuccess: () => resolve(),
        onError: reject,
      })
      up.start()
    })
    // It continued from the server's offset instead of starting again at 0.
    expect(resumedFrom).toBeGreaterThanOrEqual(offset)
    expect(videoId).toBeTruthy()
    const video = await db.video.findUniqueOrThrow({ where: { id: videoId! } })
    expect(video.contentHash).toBe(await sha256(clip))
    expect(video.visibility).toBe('PRIVATE')
  })

  it('refuses a tus upload without credentials or a title', async () => {
    const create = (headers: Record<string, string>, metadata: string) =>
      fetch(`${base()}/api/v1/uploads`, {
        method: 'POST',
        headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': metadata, ...headers },
      })
    expect((await create({}, `title ${btoa('x')}`)).status).toBe(401)
    const { auth } = await userWithKey()
    expect((await create(auth, `visibility ${btoa('public')}`)).status).toBe(422)
    expect((await create(auth, `title ${btoa('ok')}`)).status).toBe(201)
  })
})
