import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, userWithKey } from './client'

// oEmbed for our watch and embed URLs: what anyone with the link may watch is described (with the
// embed player's iframe), nothing else is, whoever asks.

type Who = Awaited<ReturnType<typeof userWithKey>>

async function video(owner: Who, visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE', state: 'STORED' | 'PROCESSING' = 'STORED') {
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  await db.content.create({
    data: { hash, size: 1000n, mime: 'video/mp4', state, durationMs: 10_000, width: 1920, height: 1080, storedAt: state === 'STORED' ? new Date() : null },
  })
  return (await db.video.create({ data: { ownerId: owner.user.id, title: `oEmbed "${visibility}" <b>`, visibility, contentHash: hash } })).id
}

const oembed = (url: string, extra = '', headers: Record<string, string> = {}) =>
  fetch(`${base()}/api/v1/oembed?url=${encodeURIComponent(url)}${extra}`, { headers })

describe('GET /api/v1/oembed', () => {
  let owner: Who
  const ids = { public: '', unlisted: '', private: '', processing: '' }

  beforeAll(async () => {
    owner = await userWithKey()
    await db.user.update({ where: { id: owner.user.id }, data: { name: 'Ann Example' } })
    ids.public = await video(owner, 'PUBLIC')
    ids.unlisted = await video(owner, 'UNLISTED')
    ids.private = await video(owner, 'PRIVATE')
    ids.processing = await video(owner, 'PUBLIC', 'PROCESSING')
  })
  afterAll(disconnectDb)

  it('describes a public video with the embed iframe', async () => {
    const res = await oembed(`${base()}/videos/${ids.public}`, '&format=json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = await res.json()
    expect(body).toMatchObject({
      version: '1.0',
      type: 'video',
      provider_name: 'Reelhouse',
      provider_url: `${base()}/`,
      title: 'oEmbed "PUBLIC" <b>',
      author_name: 'Ann Example',
      width: 640,
      height: 360,
      thumbnail_width: 1280,
      thumbnail_height: 720,
    })
    expect(body.html).toBe(
      `<iframe src="${base()}/embed/${ids.public}" width="640" height="360" title="oEmbed &quot;PUBLIC&quot; &lt;b&gt;" frameborder="0" allow="autoplay; fullscreen; picture-in-picture; encrypted-media" allowfullscreen></iframe>`,
    )
    expect(body.thumbnail_url).toMatch(new RegExp(`^${base()}/api/v1/content/[0-9a-f]{64}/.+\\.jpg$`))
  })

  it('takes embed URLs, start times and size limits; unlisted videos too', async () => {
    const body = await (await oembed(`${base()}/embed/${ids.unlisted}?t=42`, '&maxwidth=320')).json()
    expect(body).toMatchObject({ type: 'video', width: 320, height: 180 })
    expect(body.html).toContain(`src="${base()}/embed/${ids.unlisted}?t=42"`)
    const tall = await (await oembed(`${base()}/videos/${ids.public}`, '&maxheight=90')).json()
    expect(tall).toMatchObject({ width: 160, height: 90 })
  })

  it('answers 404 for private, unprocessed, unknown and foreign URLs, even to the owner', async () => {
    for (const url of [
      `${base()}/videos/${ids.private}`,
      `${base()}/videos/${ids.processing}`,
      `${base()}/videos/no-such-video`,
      `https://elsewhere.example/videos/${ids.public}`,
      `${base()}/me/videos`,
      'javascript:alert(1)',
    ]) {
      const res = await oembed(url, '', owner.auth)
      expect(res.status, url).toBe(404)
      expect(res.headers.get('content-type'), url).toContain('application/problem+json')
      expect(await res.text()).not.toContain('oEmbed "PRIVATE"')
    }
  })

  it('answers 501 for XML and 422 for a missing or bad parameter', async () => {
    const xml = await oembed(`${base()}/videos/${ids.public}`, '&format=xml')
    expect(xml.status).toBe(501)
    expect(xml.headers.get('content-type')).toContain('application/problem+json')
    expect((await fetch(`${base()}/api/v1/oembed`)).status).toBe(422)
    expect((await oembed(`${base()}/videos/${ids.public}`, '&maxwidth=wide')).status).toBe(422)
    expect((await oembed(`${base()}/videos/${ids.public}`, '&maxwidth=1')).status).toBe(422)
  })

  it('is discoverable from the watch page', async () => {
    const discovery = (html: string) => /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(html)?.[1]
    const href = discovery(await (await fetch(`${base()}/videos/${ids.public}`)).text())
    expect(href?.replaceAll('&amp;', '&')).toBe(`${base()}/api/v1/oembed?url=${encodeURIComponent(`${base()}/videos/${ids.public}`)}&format=json`)
    expect((await fetch(href!.replaceAll('&amp;', '&'))).status).toBe(200)
    // The owner's own view of a private video carries none.
    const cookieless = await fetch(`${base()}/videos/${ids.private}`)
    expect(cookieless.status).toBe(404)
  })
})
