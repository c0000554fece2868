import type { IncomingMessage, ServerResponse } from 'node:http'
import { assertNotCrossSite, crossSiteRefusal, isSameOrigin, originHeaders } from '@/lib/auth/same-origin'
import { env } from '@/lib/config/env'
import { AppError, toProblem } from '@/lib/errors'
import { hasControlCharacters } from '@/lib/validation/text'
import { REFERRER_POLICY } from './page-security'

// The first thing every request meets, before media bytes, tus, metrics or Next (socket.io answers
// its own path earlier and checks its handshake itself): what no handler can answer sensibly is
// refused here with problem+json, so none of them sees it.

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port']

/** Path and query of an origin-form (`/a/b?c`) or absolute-form (`http://host/a/b?c`) request target; null for `*` and the like. */
function splitTarget(url: string): { path: string; query: string } | null {
  if (url.startsWith('/')) {
    const [path, query = ''] = url.replace(/#.*$/s, '').split(/\?(.*)/s)
    return { path, query }
  }
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null
  const u = new URL(url)
  return { path: u.pathname, query: u.search.slice(1) }
}

/** Query parameters holding a control character: no page, API or auth endpoint takes one (a NUL in next-auth's callbackUrl was a 500). */
function controlCharacterParams(query: string): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = []
  for (const [key, value] of new URLSearchParams(query)) {
    if (hasControlCharacters(key) || hasControlCharacters(value)) errors.push({ path: key, message: 'must not contain control characters' })
  }
  return errors
}

/** Why the request cannot be served, or null when it may go on. */
export function screenRequest(req: IncomingMessage): AppError | null {
  const target = splitTarget(req.url ?? '')
  if (target === null) return new AppError('BAD_REQUEST', 'The request target must be a path.')
  let decoded: string
  try {
    decoded = decodeURIComponent(target.path)
  } catch {
    return new AppError('BAD_REQUEST', 'The path holds a malformed %-escape.')
  }
  // No route has a path with a NUL or another control character in it.
  if (hasControlCharacters(decoded)) return new AppError('NOT_FOUND', 'No such path.')
  const badParams = controlCharacterParams(target.query)
  if (badParams.length) return new AppError('INVALID_INPUT', 'The request did not validate.', { errors: badParams })
  const origin = originHeaders(req.headers)
  // Server actions serve our own pages only; Next itself answers another Origin with a 500.
  if (req.headers['next-action'] !== undefined && !isSameOrigin(origin)) return crossSiteRefusal()
  try {
    assertNotCrossSite(req.method ?? 'GET', req.headers, origin)
  } catch (err) {
    return err as AppError
  }
  return null
}

/**
 * Without TRUST_PROXY=1 a client's own X-Forwarded-* headers are dropped, so neither our code
 * nor Next (which fills them in from the socket when absent) takes a forged address or scheme.
 */
export function dropUntrustedForwardedHeaders(req: IncomingMessage): void {
  if (env().TRUST_PROXY === '1') return
  for (const name of FORWARDED_HEADERS) delete req.headers[name]
}

/** Headers every response carries (pages, API, media): no MIME sniffing, no full URLs leaked to other sites. */
export function setBaselineHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', REFERRER_POLICY)
}

/** Answers a refused request; true when it did. */
export function refuseMalformed(req: IncomingMessage, res: ServerResponse): boolean {
  dropUntrustedForwardedHeaders(req)
  const err = screenRequest(req)
  if (!err) return false
  const problem = toProblem(err)
  const body = JSON.stringify(problem)
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
  return true
}
