import type { IncomingMessage } from 'node:http'
import { actorFromHeaders } from '@/lib/auth/current'
import { isMediaHostRequest } from '@/lib/config/media-origin'
import { ORIGINAL_EXTENSIONS, servableOriginalType } from '@/lib/content/original-type'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { appPlaybackKey } from '@/lib/streaming/app-key'
import type { Authorize, OriginalFacts } from '@/lib/streaming/http-server'
import type { AccessKind } from '@/lib/streaming/serve-file'
import { verifyPlaybackToken } from '@/lib/streaming/tokens'
import { contentAccess } from '@/lib/videos/access'
import { downloadFilename } from '@/lib/videos/download'
import { assertPlaybackGrant } from '@/lib/videos/playback-grant'

// A player asks for dozens of segments a minute; public status is re-checked at most every few
// seconds per hash, so one DB query serves many requests. Private access is never cached.
const PUBLIC_TTL_MS = 5_000
const publicUntil = new Map<string, number>()

/** Who may read the bytes of a content hash: a valid playback token still granted by its video, or a viewer of a video using it. */
export const authorizeContent: Authorize = async ({ hash, token, req }: { hash: string; token?: string; req: IncomingMessage }) => {
  if (token !== undefined) {
    await assertPlaybackGrant(await verifyPlaybackToken(token, hash, appPlaybackKey()))
    return 'private'
  }
  if ((publicUntil.get(hash) ?? 0) > Date.now()) return 'public'
  // The site's cookies are not meant for the media origin (host-only cookies never go there): one
  // that arrives anyway (a Domain cookie set by something else) opens nothing.
  const cookie = isMediaHostRequest(req) ? undefined : req.headers.cookie
  const actor = await actorFromHeaders({ authorization: req.headers.authorization, cookie })
  const access = await contentAccess(actor, hash)
  if (access === 'public') {
    if (publicUntil.size > 10_000) publicUntil.clear()
    publicUntil.set(hash, Date.now() + PUBLIC_TTL_MS)
  }
  if (access) return access
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in or use a playback token for this content.')
  throw new AppError('NOT_FOUND', 'No such content.')
}

// A direct-playing browser sends a range request every few seconds: remember each original's type
// instead of asking the database each time. Stored content keeps its type for good; until then the
// worker's probe may still reject the file (its type becomes UNRECOGNISED_TYPE), so re-read soon.
const UNSETTLED_TTL_MS = 5_000
const originals = new Map<string, { facts: OriginalFacts; until: number }>()

export async function describeOriginal(hash: string, download?: string, access?: AccessKind): Promise<OriginalFacts | undefined> {
  if (download !== undefined) return describeDownload(hash, download, access)
  const known = originals.get(hash)
  if (known && known.until > Date.now()) return known.facts
  const content = await db.content.findUnique({ where: { hash }, select: { mime: true, state: true } })
  if (!content) return undefined
  if (originals.size > 10_000) originals.clear()
  const type = servableOriginalType(content.mime)
  const facts = { type, filename: `${hash.slice(0, 12)}${ORIGINAL_EXTENSIONS[type] ?? ''}` }
  originals.set(hash, { facts, until: content.state === 'STORED' ? Number.POSITIVE_INFINITY : Date.now() + UNSETTLED_TTL_MS })
  return facts
}

/**
 * A download of one video's original (never cached here: the owner may stop offering it, or
 * rename it, at any time): 403 unless that video uses this content and its owner allows it.
 */
async function describeDownload(hash: string, videoId: string, access?: AccessKind): Promise<OriginalFacts> {
  const video = await db.video.findFirst({
    where: { id: videoId, contentHash: hash },
    select: { title: true, downloadable: true, visibility: true, content: { select: { mime: true } } },
  })
  // Public bytes open a download only of a video anyone with the link may watch (its title is the file name).
  if (!video?.downloadable || (access === 'public' && video.visibility === 'PRIVATE'))
    throw new AppError('FORBIDDEN', 'The owner does not offer this video for download.')
  const type = servableOriginalType(video.content.mime)
  return { type, filename: downloadFilename(video.title, ORIGINAL_EXTENSIONS[type] ?? ''), attachment: true }
}
