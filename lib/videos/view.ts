import type { Actor } from '@/lib/auth/actor'
import { type CaptionView, captionRows, captionView } from '@/lib/captions/captions'
import { chaptersOf } from '@/lib/captions/chapters'
import { videoMediaPaths, withToken } from '@/lib/captions/urls'
import { mediaUrl } from '@/lib/config/media-origin'
import { audioStreamsOfProbe, audioTracksOf } from '@/lib/content/audio-tracks'
import { streamingConfig } from '@/lib/config/streaming'
import { contentStore } from '@/lib/content/store'
import { cdnContentBase } from '@/lib/streaming/cdn'
import { DOWNLOAD_PARAM, HLS_MASTER, PARTIAL_DIR, POSTER, STORYBOARD_VTT, THUMBNAIL_COUNT, thumbnailPath } from '@/lib/content/layout'
import { type PlayabilityFacts, playabilityOf } from '@/lib/content/playability'
import { directPlayMaxBytes } from '@/lib/uploads/config'
import { db } from '@/lib/db'
import { progressOf } from '@/lib/history/progress'
import { recordWatch } from '@/lib/queue/watchers'
import { appPlaybackKey } from '@/lib/streaming/app-key'
import { signPlaybackToken } from '@/lib/streaming/tokens'
import { canView, isOwnerOrAdmin } from './access'

export type VideoStatus = 'processing' | 'ready' | 'failed'

const include = {
  owner: { select: { id: true, name: true, email: true } },
  content: { include: { renditions: { orderBy: { height: 'desc' as const } } } },
} as const

type VideoRow = NonNullable<Awaited<ReturnType<typeof loadVideo>>>

const loadVideo = (id: string) => db.video.findUnique({ where: { id }, include })

export function statusOf(state: string): VideoStatus {
  return state === 'STORED' ? 'ready' : state === 'FAILED' ? 'failed' : 'processing'
}

type TokenSubject = { id: string; contentHash: string; visibility: string; tokenEpoch: number; downloadable?: boolean }

/** The video's poster file: the owner's choice (a thumbnail or a rendered frame), else the generated one. */
export const posterFileOf = (video: { posterPath?: string | null }): string => video.posterPath ?? POSTER

/**
 * URL prefix of a video's content files (on MEDIA_ORIGIN when set): plain for public videos once
 * their content is stored, carrying a playback token otherwise (unprocessed content is never
 * public, see contentAccess).
 */
export async function contentBase(video: TokenSubject, viewerId?: string, stored = true): Promise<string> {
  return contentBaseWith(video.contentHash, await playbackTokenFor(video, viewerId, stored))
}

/** The playback token a video's media URLs carry: none for a public video once stored. */
export async function playbackTokenFor(video: TokenSubject, viewerId?: string, stored = true): Promise<string | null> {
  if (video.visibility === 'PUBLIC' && stored) return null
  return signPlaybackToken({ hash: video.contentHash, videoId: video.id, epoch: video.tokenEpoch, userId: viewerId }, appPlaybackKey())
}

export const contentBaseWith = (hash: string, token: string | null): string =>
  mediaUrl(token ? `/api/v1/content/${hash}/t/${token}` : `/api/v1/content/${hash}`)

/**
 * Where players fetch a content's packaging (streams, playlists, thumbnails): the CDN in front of
 * the bucket for public stored content (no token: immutable, cacheable forever), else as the
 * original. The original itself stays on the node, which decides its type.
 */
export const packagedBaseWith = (hash: string, token: string | null): string => (token === null && cdnContentBase(hash)) || contentBaseWith(hash, token)

/**
 * URLs for the player (absolute paths, or absolute URLs on MEDIA_ORIGIN): plain for public content, token-carrying otherwise. While a
 * session encodes, `hls` points at the growing playlists once the first segments exist.
 * `preferred`: originals up to `direct_play_max_bytes` (streaming config) play directly, larger ones through ABR.
 */
/** What the probe says about playing the original by URL; nulls until the worker has probed it. */
export function originalPlayability(mime: string, probe: unknown): { directPlayable: boolean | null; mimeCodecs: string | null } {
  const facts = probe as PlayabilityFacts | null
  if (!facts || typeof facts !== 'object' || typeof facts.videoCodec !== 'string') return { directPlayable: null, mimeCodecs: null }
  const p = playabilityOf(mime, facts)
  return { directPlayable: p.directlyPlayable, mimeCodecs: p.mimeCodecs }
}

export async function playbackUrls(opts: {
  video: TokenSubject & { posterPath?: string | null }
  status: VideoStatus
  viewerId?: string
  sizeBytes: number
  original?: { mime: string; probe: unknown }
  captions?: CaptionView[]
  hasChapters?: boolean
}) {
  const { status } = opts
  const hash = opts.video.contentHash
  const ready = status === 'ready'
  const token = await playbackTokenFor(opts.video, opts.viewerId, ready)
  const base = contentBaseWith(hash, token)
  const partial =
    !ready &&
    status === 'processing' &&
    (await contentStore()
      .head(hash, `${PARTIAL_DIR}/${HLS_MASTER}`)
      .catch(() => null))
  // The video's own manifests: the content's streams plus this video's text tracks.
  const own = videoMediaPaths(opts.video.id)
  const hls = ready || partial ? withToken(own.hls, token) : null
  return {
    direct: `${base}/original`,
    download: opts.video.downloadable ? `${base}/original?${DOWNLOAD_PARAM}=${encodeURIComponent(opts.video.id)}` : null,
    hls,
    dash: ready ? withToken(own.dash, token) : null,
    captions: (opts.captions ?? []).map((c) => ({ id: c.id, language: c.language, label: c.label, kind: c.kind, src: withToken(c.url, token) })),
    chapters: opts.hasChapters ? withToken(own.chapters, token) : null,
    poster: ready ? `${packagedBaseWith(hash, token)}/${posterFileOf(opts.video)}` : null,
    thumbnails: ready ? Array.from({ length: THUMBNAIL_COUNT }, (_, i) => `${packagedBaseWith(hash, token)}/${thumbnailPath(i + 1)}`) : [],
    storyboard: ready ? `${packagedBaseWith(hash, token)}/${STORYBOARD_VTT}` : null,
    live: !ready && !!hls,
    preferred: hls && opts.sizeBytes > directPlayMaxBytes() ? 'hls' : 'direct',
    ...originalPlayability(opts.original?.mime ?? '', opts.original?.probe ?? null),
  }
}

/** The audio tracks a video plays with: once stored, exactly its audio renditions; before, what the config will keep. */
function audioTracksOfContent(content: VideoRow['content'], status: VideoStatus) {
  const stored = content.renditions.filter((r) => r.kind === 'audio').length
  return audioTracksOf(audioStreamsOfProbe(content.probe), status === 'ready' ? stored : streamingConfig().audio.maxTracks)
}

export async function videoView(video: VideoRow, actor: Actor | null) {
  const captions = (await captionRows(video.id)).map(captionView)
  const chapters = chaptersOf(video, video.content.durationMs)
  const session = await db.transcodeSession.findFirst({
    where: { contentHash: video.contentHash },
    orderBy: { createdAt: 'desc' },
    select: { id: true, state: true, progress: true, error: true, segmentsReady: true, segmentsTotal: true },
  })
  const status = statusOf(video.content.state)
  return {
    id: video.id,
    title: video.title,
    description: video.description,
    visibility: video.visibility,
    owner: { id: video.owner.id, name: video.owner.name ?? video.owner.email.split('@')[0] },
    views: video.views,
    createdAt: video.createdAt.toISOString(),
    status,
    contentHash: video.contentHash,
    sessionId: session?.id ?? null,
    progress: status === 'ready' ? 1 : (session?.progress ?? 0),
    ...(status === 'failed' ? { error: video.content.error ?? session?.error ?? 'processing failed' } : {}),
    durationMs: video.content.durationMs,
    width: video.content.width,
    height: video.content.height,
    downloadable: video.downloadable,
    sizeBytes: Number(video.content.size),
    renditions: video.content.renditions.map((r) => ({
      name: r.name,
      kind: r.kind,
      width: r.width,
      height: r.height,
      bitrate: r.bitrate,
      codecs: r.codecs,
    })),
    audioTracks: audioTracksOfContent(video.content, status),
    playback: await playbackUrls({
      video,
      status,
      viewerId: actor?.userId,
      sizeBytes: Number(video.content.size),
      original: { mime: video.content.mime, probe: video.content.probe },
      captions,
      hasChapters: chapters.length > 0,
    }),
    captions,
    chapters,
    canEdit: isOwnerOrAdmin(actor, video),
    watchProgress: await progressOf(actor, video.id),
  }
}

export type VideoView = Awaited<ReturnType<typeof videoView>>

export async function getVideoView(actor: Actor | null, id: string): Promise<VideoView | null> {
  const video = await loadVideo(id)
  if (!video || !canView(actor, video)) return null
  return videoView(video, actor)
}

/**
 * A browser that reads a video still processing is a viewer waiting for it (its player polls every
 * few seconds): the priority lane lets such sessions go first. Scripts with API keys do not count.
 */
export async function noteWaitingViewer(actor: Actor | null, view: Pick<VideoView, 'status' | 'sessionId'>): Promise<void> {
  if (actor?.via !== 'session' || view.status !== 'processing' || !view.sessionId) return
  await recordWatch(view.sessionId, actor.userId).catch(() => {})
}
