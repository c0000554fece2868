import { createHash } from 'node:crypto'
import { evaluatePreconditions } from '@/lib/streaming/conditional'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { headerGetter } from '@/lib/streaming/serve-file'

// A video's manifests and tracks change when its captions or chapters do, unlike stored segments
// (immutable): a short cache, and an ETag of the body so a player's re-fetch is a cheap 304.
const PUBLIC_CACHE = 'public, max-age=10'
const PRIVATE_CACHE = 'private, no-cache'

export const VTT_TYPE = 'text/vtt; charset=utf-8'
export const HLS_TYPE = 'application/vnd.apple.mpegurl'
export const DASH_TYPE = 'application/dash+xml'

/** A generated text file with the media path's security headers; 304 when the client has this body. */
export function textMediaResponse(req: Request, body: string, contentType: string, access: 'public' | 'private'): Response {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    ETag: etag,
    'Cache-Control': access === 'public' ? PUBLIC_CACHE : PRIVATE_CACHE,
    ...MEDIA_SECURITY_HEADERS,
  }
  // No Last-Modified: the ETag alone decides (a date check would always say "unchanged").
  const outcome = evaluatePreconditions(headerGetter(req.headers), etag, Number.POSITIVE_INFINITY)
  if (outcome === 'not-modified') return new Response(null, { status: 304, headers })
  if (outcome === 'failed') return new Response(null, { status: 412, headers })
  return new Response(req.method === 'HEAD' ? null : body, { status: 200, headers })
}
