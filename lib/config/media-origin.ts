import type { IncomingMessage } from 'node:http'
import type { CorsPolicy } from '@/lib/streaming/cors'
import { type Env, env } from './env'

// With MEDIA_ORIGIN set, media lives on a host of its own (as the big platforms do it): a stored
// file that a browser was tricked into rendering runs with no rights on the site, and the site's
// cookies never reach it (private media is opened by the signed token in the URL).

/** Absolute URL of a media path on the media origin, or the path itself when there is none. */
export const mediaUrl = (pathname: string): string => `${env().MEDIA_ORIGIN ?? ''}${pathname}`

/** True when the request was addressed to the media origin's host (its `Host` header). */
export function isMediaHostRequest(req: IncomingMessage): boolean {
  const origin = env().MEDIA_ORIGIN
  if (!origin) return false
  return (req.headers.host ?? '').toLowerCase() === new URL(origin).host
}

/**
 * Who may read private media from another origin: the CORS_ORIGINS partners, and the site's own
 * pages when media lives on MEDIA_ORIGIN (its player then reads it cross-origin too).
 */
export function mediaCorsPolicy(e: Env = env()): CorsPolicy {
  const site = new URL(e.NEXTAUTH_URL ?? `http://${e.HOST}:${e.PORT}`).origin
  return { privateOrigins: e.MEDIA_ORIGIN ? [...e.CORS_ORIGINS, site] : e.CORS_ORIGINS }
}
