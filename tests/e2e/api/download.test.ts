import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { makeClip, seedContent, tempDir } from '../ui/fixtures'
import { base, userWithKey } from './client'

// Downloads: the owner decides per video; when allowed, `playback.download` answers the original
// as an attachment named after the title (with the container's extension), through the same media
// path and headers as the original; otherwise it is null and the URL answers 403.

type Who = Awaited<ReturnType<typeof userWithKey>>
interface View {
  downloadable: boolean
  visibility: string
  playback: { direct: string; download: string | null }
}

describe('downloads', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let owner: Who
  let other: Who
  let admin: Who
  let clip = ''
  const ids = { public: '', private: '', elsewhere: '' }

  beforeAll(async () => {
    tmp = await tempDir()
    owner = await userWithKey()
    other = await userWithKey()
    admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    clip = makeClip(path.join(tmp.dir, 'download.mp4'), { seconds: 2, pattern: 'rgbtestsrc' })
    const hash = await seedContent(db, { clip, dataDir: inject('dataDir'), state: 'STORED', seconds: 2 })
    const otherClip = makeClip(path.join(tmp.dir, 'elsewhere.mp4'), { seconds: 1, pattern: 'smptebars' })
    const otherHash = await seedContent(db, { clip: otherClip, dataDir: inject('dataDir'), state: 'STORED', seconds: 1 })
    const make = async (title: string, visibility: 'PUBLIC' | 'PRIVATE', contentHash: string, downloadable = false) =>
      (await db.video.create({ data: { ownerId: owner.user.id, title, visibility, contentHash, downloadable } })).id
    ids.public = await make('Harbour: dusk/dawn "final" é', 'PUBLIC', hash)
    ids.private = await make('Private cut', 'PRIVATE', hash)
    ids.elsewhere = await make('Someone else’s bytes', 'PUBLIC', otherHash, true)
  })
  afterAll(async () => {
    await disconnectDb()
    await tmp?.remove()
  })

  const view = async (id: string, headers: Record<string, string> = {}) => (await (await fetch(`${base()}/api/v1/videos/${id}`, { headers })).json()) as View
  const patch = (id: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${base()}/api/v1/videos/${id}`, { method: 'PATCH', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const abs = (u: string) => new URL(u, base()).href

  it('is off by default: no download URL, and the URL answers 403 to everyone', async () => {
    const v = await view(ids.public)
    expect(v.downloadable).toBe(false)
    expect(v.playback.download).toBeNull()
    for (const headers of [{}, other.auth, owner.auth]) {
      const res = await fetch(`${abs(v.playback.direct)}?download=${ids.public}`, { headers })
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    // The plain original still plays inline.
    const inline = await fetch(abs(v.playback.direct), { headers: { range: 'bytes=0-15' } })
    expect(inline.status).toBe(206)
    expect(inline.headers.get('content-disposition')).toMatch(/^inline/)
  })

  it('only the owner or an admin may switch it, with a boolean', async () => {
    expect((await patch(ids.public, other.auth, { downloadable: true })).status).toBe(403)
    expect((await patch(ids.private, other.auth, { downloadable: true })).status).toBe(404)
    expect((await patch(ids.public, {}, { downloadable: true })).status).toBe(401)
    for (const bad of ['yes', 1, null]) {
      const res = await patch(ids.public, owner.auth, { downloadable: bad })
      expect(res.status, JSON.stringify(bad)).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    expect((await view(ids.public)).downloadable).toBe(false)
    const byAdmin = await patch(ids.private, admin.auth, { downloadable: true })
    expect(byAdmin.status).toBe(200)
    expect(((await byAdmin.json()) as View).downloadable).toBe(true)
  })

  it('when allowed, answers the original as an attachment named after the title', async () => {
    const res = await patch(ids.public, owner.auth, { downloadable: true })
    expect(res.status).toBe(200)
    const v = (await res.json()) as View
    expect(v.downloadable).toBe(true)
    expect(v.playback.download).toBe(`${v.playback.direct}?download=${ids.public}`)
    // Anyone who may watch a public video may download it once allowed.
    const dl = await fetch(abs(v.playback.download!))
    expect(dl.status).toBe(200)
    expect(dl.headers.get('content-type')).toBe('video/mp4')
    expect(dl.headers.get('content-disposition')).toBe(
      `attachment; filename="Harbour_ dusk_dawn _final_ _.mp4"; filename*=UTF-8''Harbour_%20dusk_dawn%20_final_%20%C3%A9.mp4`,
    )
    expect(dl.headers.get('cache-control')).toMatch(/^private/)
    for (const [name, value] of Object.entries(MEDIA_SECURITY_HEADERS)) expect(dl.headers.get(name), name).toBe(value)
    expect(Buffer.from(await dl.arrayBuffer()).equals(await readFile(clip))).toBe(true)
    // Ranges work as on the original (a resumed download).
    const part = await fetch(abs(v.playback.download!), { headers: { range: 'bytes=10-19' } })
    expect(part.status).toBe(206)
    expect((await part.arrayBuffer()).byteLength).toBe(10)
  })

  it('a private video downloads with its token URL only; another video id opens nothing', async () => {
    const v = await view(ids.private, owner.auth)
    expect(v.playback.download).toMatch(/\/t\/[^/]+\/original\?download=/)
    expect((await fetch(abs(v.playback.download!))).status).toBe(200)
    const plain = await fetch(`${base()}/api/v1/content/${new URL(abs(v.playback.download!)).pathname.split('/')[4]}/original?download=${ids.private}`)
    // The bytes are public (a public video has them too), but not this private video's download.
    expect(plain.status).toBe(403)
    // A downloadable video of other content does not open this content's download.
    const pub = await view(ids.public)
    expect((await fetch(`${abs(pub.playback.direct)}?download=${ids.elsewhere}`)).status).toBe(403)
    expect((await fetch(`${abs(pub.playback.direct)}?download=${'x'.repeat(300)}`)).status).toBe(403)
  })

  it('switched off again, the URL answers 403', async () => {
    const before = (await view(ids.public)).playback.download!
    expect((await patch(ids.public, owner.auth, { downloadable: false })).status).toBe(200)
    expect((await view(ids.public)).playback.download).toBeNull()
    expect((await fetch(abs(before))).status).toBe(403)
  })
})
