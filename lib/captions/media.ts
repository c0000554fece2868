import { text } from 'node:stream/consumers'
import type { Actor } from '@/lib/auth/actor'
import { mediaCorsPolicy } from '@/lib/config/media-origin'
import { DASH_MANIFEST, HLS_MASTER, PARTIAL_DIR } from '@/lib/content/layout'
import { contentStore } from '@/lib/content/store'
import { AppError } from '@/lib/errors'
import { corsHeadersFor } from '@/lib/streaming/cors'
import { contentBaseWith, packagedBaseWith, playbackTokenFor } from '@/lib/videos/view'
import { captionRows, captionText, captionView } from './captions'
import { chaptersOf, chaptersVtt } from './chapters'
import { subtitleMediaPlaylist, type TextTrackRef, videoDashManifest, videoHlsMaster } from './manifests'
import { type ReadableVideo, videoMediaReader } from './reader'
import { DASH_TYPE, HLS_TYPE, textMediaResponse, VTT_TYPE } from './text-response'
import { videoMediaPaths, withToken } from './urls'

// A video's own media files: its manifests (the content's plus its text tracks), the tracks and
// their HLS playlists. Each request is authorized as the content's files are (see reader.ts).

export interface MediaRequest {
  req: Request
  actor: Actor | null
  videoId: string
  /** `?token=`: a playback token for this video. */
  token?: string
}

interface Opened {
  video: ReadableVideo
  /** The token every URL written into the answer carries (null: public). */
  token: string | null
  access: 'public' | 'private'
}

async function open(r: MediaRequest): Promise<Opened> {
  const { video, token } = await videoMediaReader(r.actor, r.videoId, r.token)
  const stored = video.content.state === 'STORED'
  // A caller let in by its session still needs a token in the URLs: the media origin takes no cookies.
  const inner = token ?? (await playbackTokenFor(video, r.actor?.userId, stored))
  return { video, token: inner, access: inner === null ? 'public' : 'private' }
}

function answer(r: MediaRequest, o: Opened, body: string, type: string): Response {
  const res = textMediaResponse(r.req, body, type, o.access)
  for (const [k, v] of Object.entries(corsHeadersFor(o.access, r.req.headers.get('origin') ?? undefined, mediaCorsPolicy()))) res.headers.set(k, v)
  return res
}

async function trackRefs(o: Opened): Promise<TextTrackRef[]> {
  const paths = videoMediaPaths(o.video.id)
  return (await captionRows(o.video.id)).map((row) => {
    const c = captionView(row)
    return {
      language: c.language,
      label: c.label,
      kind: c.kind,
      playlistUrl: withToken(paths.trackPlaylist(c.id), o.token),
      vttUrl: withToken(paths.track(c.id), o.token),
    }
  })
}

/** Where the content's manifests are now: stored, or the growing ones of a running encode (HLS only). */
function contentManifest(o: Opened, file: typeof HLS_MASTER | typeof DASH_MANIFEST): { relPath: string; base: string } {
  const base = contentBaseWith(o.video.contentHash, o.token)
  if (o.video.content.state === 'STORED') return { relPath: file, base: packagedBaseWith(o.video.contentHash, o.token) }
  if (o.video.content.state === 'PROCESSING' && file === HLS_MASTER) return { relPath: `${PARTIAL_DIR}/${file}`, base: `${base}/${PARTIAL_DIR}` }
  throw new AppError('NOT_FOUND', 'This video has no stream yet.')
}

async function readContentText(hash: string, relPath: string): Promise<string> {
  const file = await contentStore()
    .read(hash, relPath)
    .catch(() => null)
  if (!file) throw new AppError('NOT_FOUND', 'This video has no stream yet.')
  return text(file.body)
}

export async function hlsMasterResponse(r: MediaRequest): Promise<Response> {
  const o = await open(r)
  const { relPath, base } = contentManifest(o, HLS_MASTER)
  const master = videoHlsMaster(await readContentText(o.video.contentHash, relPath), base, await trackRefs(o))
  // A growing playlist is never cached by anyone but its reader.
  return answer(r, relPath === HLS_MASTER ? o : { ...o, access: 'private' }, master, HLS_TYPE)
}

export async function dashManifestResponse(r: MediaRequest): Promise<Response> {
  const o = await open(r)
  const { relPath, base } = contentManifest(o, DASH_MANIFEST)
  return answer(r, o, videoDashManifest(await readContentText(o.video.contentHash, relPath), base, await trackRefs(o)), DASH_TYPE)
}

export async function trackResponse(r: MediaRequest, captionId: string): Promise<Response> {
  const o = await open(r)
  const { vtt } = await captionText(o.video.id, captionId)
  return answer(r, o, vtt, VTT_TYPE)
}

export async function trackPlaylistResponse(r: MediaRequest, captionId: string): Promise<Response> {
  const o = await open(r)
  await captionText(o.video.id, captionId)
  const vttUrl = withToken(videoMediaPaths(o.video.id).track(captionId), o.token)
  return answer(r, o, subtitleMediaPlaylist(vttUrl, o.video.content.durationMs ?? 0), HLS_TYPE)
}

export async function chaptersResponse(r: MediaRequest): Promise<Response> {
  const o = await open(r)
  const chapters = chaptersOf(o.video, o.video.content.durationMs)
  if (!chapters.length) throw new AppError('NOT_FOUND', 'This video has no chapters.')
  return answer(r, o, chaptersVtt(chapters, o.video.content.durationMs), VTT_TYPE)
}
