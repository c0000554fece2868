import { env } from '@/lib/config/env'
import { AppError } from '@/lib/errors'

// Cross-site request forgery: a browser attaches the session cookie to requests that another
// site's page makes. Such requests carry that page's `Origin` (every current browser sends it on
// unsafe methods and WebSocket handshakes) and `Sec-Fetch-Site`, which no page can forge. An API
// key is never sent by a browser on its own, so bearer requests are not affected.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const SESSION_COOKIE_RE = /(?:^|;)\s*(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/

export interface OriginHeaders {
  origin?: string | null
  'sec-fetch-site'?: string | null
  host?: string | null
  'x-forwarded-proto'?: string | null
}

/** Reads the headers the check needs from a fetch `Headers` or a Node header object. */
export function originHeaders(h: Headers | Record<string, string | string[] | undefined>): OriginHeaders {
  const get = (name: string) => {
    const v = h instanceof Headers ? h.get(name) : h[name]
    return Array.isArray(v) ? v[0] : v
  }
  return { origin: get('origin'), 'sec-fetch-site': get('sec-fetch-site'), host: get('host'), 'x-forwarded-proto': get('x-forwarded-proto') }
}

/** The scheme the browser used: the proxy's word for it with TRUST_PROXY=1, else plain HTTP (the server speaks no TLS). */
export function requestProtocol(h: OriginHeaders): 'http' | 'https' {
  if (env().TRUST_PROXY !== '1') return 'http'
  return h['x-forwarded-proto']?.split(',')[0].trim().toLowerCase() === 'https' ? 'https' : 'http'
}

/** Origins that are this site: the public URL's (NEXTAUTH_URL) and the one the request was addressed to. */
function siteOrigins(h: OriginHeaders): string[] {
  const out: string[] = []
  const publicUrl = env().NEXTAUTH_URL
  if (publicUrl) out.push(new URL(publicUrl).origin)
  if (h.host) out.push(`${requestProtocol(h)}://${h.host.toLowerCase()}`)
  return out
}

/** The site's origin as its visitors reach it, for links people copy: the public URL, else the one this request used. */
export function publicSiteOrigin(h: OriginHeaders): string {
  const publicUrl = env().NEXTAUTH_URL
  if (publicUrl) return new URL(publicUrl).origin
  return `${requestProtocol(h)}://${(h.host ?? `${env().HOST}:${env().PORT}`).toLowerCase()}`
}

/** True when a browser made the request from one of this site's own pages. */
export function isSameOrigin(h: OriginHeaders): boolean {
  if (h['sec-fetch-site'] === 'same-origin') return true
  if (!h.origin || h.origin === 'null') return false
  return siteOrigins(h).includes(h.origin.toLowerCase())
}

/** True when a session cookie (not a bearer key) would authenticate this request. */
export function authenticatesByCookie(headers: { authorization?: string | null; cookie?: string | null }): boolean {
  if (/^bearer\s/i.test(headers.authorization ?? '')) return false
  return SESSION_COOKIE_RE.test(headers.cookie ?? '')
}

export const crossSiteRefusal = () => new AppError('FORBIDDEN', 'Cross-site request refused: a signed-in change must come from this site (or use an API key).')

/**
 * Throws FORBIDDEN for a cookie-authenticated unsafe request (POST, PUT, PATCH, DELETE, …) that
 * did not come from this site's pages.
 */
export function assertNotCrossSite(method: string, headers: { authorization?: string | null; cookie?: string | null }, origin: OriginHeaders): void {
  if (SAFE_METHODS.has(method.toUpperCase())) return
  if (authenticatesByCookie(headers) && !isSameOrigin(origin)) throw crossSiteRefusal()
}

/**
 * For forms that work without a session (sign-up, password reset): a browser's request (it sends
 * `Origin` or `Sec-Fetch-Site` on every POST) must come from this site's pages, so no other site
 * can make accounts or use up links in a visitor's name. Scripts send neither and are not affected.
 */
export function assertFormFromThisSite(origin: OriginHeaders): void {
  const fromBrowser = !!origin.origin || !!origin['sec-fetch-site']
  if (fromBrowser && !isSameOrigin(origin)) throw new AppError('FORBIDDEN', 'Cross-site request refused: this form must be sent from this site.')
}
