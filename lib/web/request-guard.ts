import type { IncomingMessage, ServerResponse } from 'node:http'
import { assertNotCrossSite, originHeaders } from '@/lib/auth/same-origin'
import { env } from '@/lib/config/env'
import { AppError, toProblem } from '@/lib/errors'
import { hasControlCharacters } from '@/lib/validation/text'
import { REFERRER_POLICY } from './page-security'

// The first thing every request meets, before media bytes, tus, socket.io polling or Next: what
// no handler can answer sensibly is refused here with problem+json, so none of them sees it.

const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port']

/** The path of an origin-form (`/a/b?c`) or absolute-form (`http://host/a/b`) request target; null for `*` and the like. */
function targetPath(url: string): string | null {
  if (url.startsWith('/')) return url.replace(/[?#].*$/s, '')
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return null
  return new URL(url).pathname
}

/** Why the request cannot be served, or null when it may go on. */
export function screenRequest(req: IncomingMessage): AppError | null {
  const path = targetPath(req.url ?? '')
  if (path === null) return new AppError('BAD_REQUEST', 'The request target must be a path.')
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return new AppError('BAD_REQUEST', 'The path holds a malformed %-escape.')
  }
  // No route has a path with a NUL or another control character in it.
  if (hasControlCharacters(decoded)) return new AppError('NOT_FOUND', 'No such path.')
  try {
    assertNotCrossSite(req.method ?? 'GET', req.headers, originHeaders(req.headers))
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
