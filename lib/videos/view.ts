import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
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

/** Absolute-path URLs for the player: plain for public content, token-carrying otherwise. */
export async function playbackUrls(hash: string, status: VideoStatus, isPublic: boolean, viewerId?: string) {
  const base = isPublic
    ? `/api/v1/content/${hash}`
    : `/api/v1/content/${hash}/t/${await signPlaybackToken({ hash, userId: viewerId }, appPlaybackKey())}`
  const ready = status === 'ready'
  return {
    direct: `${base}/original`,
    hls: ready ? `${base}/master.m3u8` : null,
    dash: ready ? `${base}/manifest.mpd` : null,
    poster: ready ? `${base}/thumbs/poster.jpg` : null,
    storyboard: ready ? `${base}/thumbs/storyboard.vtt` : null,
  }
}

export async function videoView(video: VideoRow, actor: Actor | null) {
  const session = await db.transcodeSession.findFirst({
    where: { contentHash: video.contentHash },
    orderBy: { createdAt: 'desc' },
    select: { id: true, state: true, progress: true, error: true, segmentsReady: true, segmentsTotal: true },
  })
  const status = statusOf(video.content.state)
  const isPublic = video.visibility === 'PUBLIC'
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
    sizeBytes: Number(video.content.size),
    renditions: video.content.renditions.map((r) => ({
      name: r.name,
      kind: r.kind,
      width: r.width,
      height: r.height,
      bitrate: r.bitrate,
      codecs: r.codecs,
    })),
    playback: await playbackUrls(video.contentHash, status, isPublic, actor?.userId),
    canEdit: isOwnerOrAdmin(actor, video),
  }
}

export type VideoView = Awaited<ReturnType<typeof videoView>>

export async function getVideoView(actor: Actor | null, id: string): Promise<VideoView | null> {
  const video = await loadVideo(id)
  if (!video || !canView(actor, video)) return null
  return videoView(video, actor)
}
