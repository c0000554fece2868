// CORS for media, so players on other sites (hls.js, dash.js, video.js) can read our streams.
// Never with credentials: private media is read with the playback token in the URL, not cookies.
import type { AccessKind } from '@/lib/streaming/serve-file'

/** How long a browser may reuse a preflight answer (Chromium caps it at 2 h, Firefox at 24 h). */
export const CORS_MAX_AGE_SECONDS = 7200

/** Response headers a player's script needs to see to play ranges and revalidate. */
export const EXPOSED_HEADERS = 'Content-Range, Content-Length, Accept-Ranges, ETag'

export interface CorsPolicy {
  /** Origins (`scheme://host[:port]`) whose pages may read private media. */
  privateOrigins: readonly string[]
}

export const NO_PRIVATE_ORIGINS: CorsPolicy = { privateOrigins: [] }

/**
 * CORS headers of a media response, given how the request was authorized. Public media is readable
 * from anywhere (`*`, the same answer for every origin, so caches may share it); anything else only
 * by the listed origins, echoed back with `Vary: Origin` so no cache hands one origin's answer to another.
 */
export function corsHeadersFor(access: AccessKind, origin: string | undefined, policy: CorsPolicy): Record<string, string> {
  if (access === 'public') return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS }
  if (origin === undefined || !policy.privateOrigins.includes(origin)) return { Vary: 'Origin' }
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, Vary: 'Origin' }
}

/** The answer to a preflight (`OPTIONS`): the same origin rule, for GET and HEAD with a `Range` header. */
export function preflightHeadersFor(access: AccessKind, origin: string | undefined, policy: CorsPolicy): Record<string, string> {
  const headers = corsHeadersFor(access, origin, policy)
  if (headers['Access-Control-Allow-Origin'] === undefined) return headers
  return {
    ...headers,
    'Access-Control-Allow-Methods': 'GET, HEAD',
    'Access-Control-Allow-Headers': 'Range',
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  }
}

/** `headers` with the CORS headers added; a `Vary` already there is kept and extended. */
export function withCors(headers: Record<string, string>, cors: Record<string, string>): Record<string, string> {
  const merged = { ...headers, ...cors }
  if (headers.Vary && cors.Vary) merged.Vary = `${headers.Vary}, ${cors.Vary}`
  return merged
}
