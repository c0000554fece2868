import { beforeAll, describe, expect, it } from 'vitest'
import { parseHlsMaster } from '@/lib/pipeline/manifests'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from './client'

// The caption routes and a video's own manifests, against the running server.

type Who = Awaited<ReturnType<typeof userWithKey>>

const SRT = '1\n00:00:00,200 --> 00:00:01,500\nBonjour <font color="red">tout</font> le monde\n\n2\n00:00:01,600 --> 00:00:02,000\n<i>Au revoir</i>\n'

function captionForm(body: string | Uint8Array, fields: Record<string, string>, filename = 'subs.srt'): FormData {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new Blob([body as BlobPart]), filename)
  return form
}

const addCaption = (videoId: string, who: Record<string, string>, body: string | Uint8Array, fields: Record<string, string>) =>
  fetch(`${base()}/api/v1/videos/${videoId}/captions`, { method: 'POST', headers: who, body: captionForm(body, fields) })

const get = (path: string, headers: Record<string, string> = {}) => fetch(path.startsWith('http') ? path : `${base()}${path}`, { headers })

describe('captions', () => {
  let owner: Who
  let other: Who
  let admin: Who
  let pub: { id: string; contentHash: string }
  let priv: { id: string; contentHash: string }

  beforeAll(async () => {
    owner = await userWithKey()
    other = await userWithKey()
    admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    pub = await (await uploadMultipart(makeMp4('captions-public.mp4', { seed: 141 }), { title: 'Sous-titré', visibility: 'public' }, owner.auth)).json()
    priv = await (
      await uploadMultipart(makeMp4('captions-private.mp4', { seed: 142 }), { title: 'Secret subtitles', visibility: 'private' }, owner.auth)
    ).json()
    for (const v of [pub, priv]) expect((await waitForStatus(v.id, owner.auth, ['ready', 'failed'])).status).toBe('ready')
  })

  it('takes an SRT file as sanitized WebVTT, served with the media headers', async () => {
    const res = await addCaption(pub.id, owner.auth, SRT, { language: 'FR-ca', label: 'Français (Canada)' })
    expect(res.status).toBe(201)
    const caption = await res.json()
    expect(caption).toMatchObject({ language: 'fr-CA', label: 'Français (Canada)', kind: 'subtitles', source: 'upload' })
    expect(caption.url).toBe(`/api/v1/videos/${pub.id}/captions/${caption.id}/track.vtt`)

    const vtt = await get(caption.url)
    expect(vtt.status).toBe(200)
    expect(vtt.headers.get('content-type')).toBe('text/vtt; charset=utf-8')
    expect(vtt.headers.get('x-content-type-options')).toBe('nosniff')
    expect(vtt.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'")
    expect(await vtt.text()).toBe('WEBVTT\n\n1\n00:00:00.200 --> 00:00:01.500\nBonjour tout le monde\n\n2\n00:00:01.600 --> 00:00:02.000\n<i>Au revoir</i>\n\n')

    // Anyone who may watch a public video lists its tracks; the label defaults to the language's own name.
    const listed = await (await get(`/api/v1/videos/${pub.id}/captions`)).json()
    expect(listed.items.map((c: { id: string }) => c.id)).toContain(caption.id)
    const de = await (
      await addCaption(pub.id, admin.auth, 'WEBVTT\n\n00:00.500 --> 00:01.000\n<b>Hallo</b> <script>alert(1)</script>\n', { language: 'de', kind: 'captions' })
    ).json()
    expect(de).toMatchObject({ language: 'de', label: 'Deutsch', kind: 'captions' })
    const deText = await (await get(de.url)).text()
    expect(deText).toContain('<b>Hallo</b> alert(1)')
    expect(deText).not.toContain('<script')
  })

  it('refuses what is not a caption file, naming the failing line', async () => {
    const cases: [string, number][] = [
      ['just some words\nand more words\n', 1],
      ['WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:04.000 --> 00:00:03.000\nbackwards\n', 6],
      ['1\n00:00:01,000 --> 00:00:0x,000\nbroken\n', 2],
    ]
    for (const [body, line] of cases) {
      const res = await addCaption(pub.id, owner.auth, body, { language: 'en' })
      expect(res.status, body).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const problem = await res.json()
      expect(problem.line, body).toBe(line)
      expect(problem.detail).toContain(`Line ${line}:`)
    }
    const badLanguage = await addCaption(pub.id, owner.auth, SRT, { language: 'not a language!' })
    expect(badLanguage.status).toBe(422)
    expect((await badLanguage.json()).errors[0].path).toBe('language')
    const tooLarge = await addCaption(pub.id, owner.auth, new Uint8Array(1024 * 1024 + 1).fill(0x41), { language: 'en' })
    expect(tooLarge.status).toBe(413)
    const noFile = await fetch(`${base()}/api/v1/videos/${pub.id}/captions`, {
      method: 'POST',
      headers: owner.auth,
      body: (() => {
        const f = new FormData()
        f.set('language', 'en')
        return f
      })(),
    })
    expect(noFile.status).toBe(422)
  })

  it("lets only the owner or an admin change a video's captions", async () => {
    expect((await addCaption(pub.id, other.auth, SRT, { language: 'en' })).status).toBe(403)
    expect((await addCaption(priv.id, other.auth, SRT, { language: 'en' })).status).toBe(404)
    expect((await addCaption(pub.id, {}, SRT, { language: 'en' })).status).toBe(401)
    const mine = await (await addCaption(pub.id, owner.auth, SRT, { language: 'es' })).json()
    expect((await fetch(`${base()}${`/api/v1/videos/${pub.id}/captions/${mine.id}`}`, { method: 'DELETE', headers: other.auth })).status).toBe(403)
    // A caption id of another video names nothing here.
    const elsewhere = await (await addCaption(priv.id, owner.auth, SRT, { language: 'es' })).json()
    expect((await fetch(`${base()}/api/v1/videos/${pub.id}/captions/${elsewhere.id}`, { method: 'DELETE', headers: owner.auth })).status).toBe(404)
    expect((await get(`/api/v1/videos/${pub.id}/captions/${elsewhere.id}/track.vtt`)).status).toBe(404)
    const deleted = await fetch(`${base()}/api/v1/videos/${pub.id}/captions/${mine.id}`, { method: 'DELETE', headers: owner.auth })
    expect(deleted.status).toBe(204)
    expect((await get(mine.url)).status).toBe(404)
  })

  it("puts the tracks in the video's own HLS and DASH manifests, whose ETag follows the captions", async () => {
    const view = await (await get(`/api/v1/videos/${pub.id}`)).json()
    expect(view.playback.hls).toBe(`/api/v1/videos/${pub.id}/master.m3u8`)
    expect(view.playback.dash).toBe(`/api/v1/videos/${pub.id}/manifest.mpd`)
    expect(view.playback.captions.map((c: { language: string }) => c.language)).toEqual(expect.arrayContaining(['fr-CA', 'de']))

    const res = await get(view.playback.hls)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl')
    expect(res.headers.get('cache-control')).toBe('public, max-age=10')
    const master = await res.text()
    const parsed = parseHlsMaster(master)
    expect(parsed.variants.length).toBeGreaterThan(0)
    for (const v of parsed.variants) expect(v.uri).toMatch(new RegExp(`^/api/v1/content/${pub.contentHash}/media_\\d+\\.m3u8$`))
    expect(
      master
        .split('\n')
        .filter((l) => l.startsWith('#EXT-X-STREAM-INF'))
        .every((l) => l.includes('SUBTITLES="subs"')),
    ).toBe(true)
    const subs = parsed.media.filter((m) => m.type === 'SUBTITLES')
    expect(master).toContain('LANGUAGE="fr-CA",NAME="Français (Canada)"')
    // Each subtitle playlist is one segment: the track's WebVTT; the content's playlists still play.
    const playlist = await (await get(subs[0].uri)).text()
    const vttUri = playlist.split('\n').find((l) => l && !l.startsWith('#'))!
    expect((await (await get(vttUri)).text()).startsWith('WEBVTT')).toBe(true)
    expect((await get(parsed.variants[0].uri)).status).toBe(200)

    const etag = res.headers.get('etag')!
    expect((await get(view.playback.hls, { 'if-none-match': etag })).status).toBe(304)
    const it = await (await addCaption(pub.id, owner.auth, SRT, { language: 'it' })).json()
    const changed = await get(view.playback.hls, { 'if-none-match': etag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
    expect(await changed.text()).toContain('LANGUAGE="it"')
    await fetch(`${base()}/api/v1/videos/${pub.id}/captions/${it.id}`, { method: 'DELETE', headers: owner.auth })

    const mpd = await (await get(view.playback.dash)).text()
    expect(mpd).toContain(`<BaseURL>/api/v1/content/${pub.contentHash}/</BaseURL>`)
    expect(mpd).toMatch(/<AdaptationSet id="\d+" contentType="text" mimeType="text\/vtt" lang="fr-CA">/)
    expect(mpd).toMatch(/contentType="video"/)
  })

  it("keeps a private video's manifests and tracks to its owner, admins and token holders", async () => {
    await addCaption(priv.id, owner.auth, SRT, { language: 'fr' })
    const view = await (await get(`/api/v1/videos/${priv.id}`, owner.auth)).json()
    expect(view.playback.hls).toMatch(new RegExp(`^/api/v1/videos/${priv.id}/master\\.m3u8\\?token=`))
    const bare = `/api/v1/videos/${priv.id}/master.m3u8`
    expect((await get(bare)).status).toBe(404)
    expect((await get(bare, other.auth)).status).toBe(404)
    expect((await get(bare, admin.auth)).status).toBe(200)
    const viaToken = await get(view.playback.hls)
    expect(viaToken.status).toBe(200)
    expect(viaToken.headers.get('cache-control')).toBe('private, no-cache')
    const master = await viaToken.text()
    // Everything inside carries a token, so a player with no cookie (another origin) plays it all.
    const uris = [...parseHlsMaster(master).variants.map((v) => v.uri), ...parseHlsMaster(master).media.map((m) => m.uri)]
    for (const uri of uris) expect((await get(uri)).status, uri).toBe(200)
    expect(uris.some((u) => u.includes('/captions/'))).toBe(true)
    const track = view.playback.captions[0].src as string
    expect((await get(track)).status).toBe(200)
    expect((await get(track.replace(/\?token=.*/, ''))).status).toBe(404)
    expect((await get(`${track.replace(/\?token=.*/, '')}?token=forged.token.value`)).status).toBe(401)
    // A token of another video opens nothing here.
    const otherView = await (await get(`/api/v1/videos/${pub.id}`)).json()
    expect(otherView.playback.hls).not.toContain('token=')
  })
})
