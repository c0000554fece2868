import type { z } from 'zod'
import { type Actor, actorFromRequest, requireScope, type Scope } from '@/lib/auth'
import { assertNotCrossSite, originHeaders } from '@/lib/auth/same-origin'
import { AppError, problemResponse } from '@/lib/errors'
import { log } from '@/lib/log'
import { recordRateLimited } from '@/lib/metrics/state'
import { hasControlCharacters } from '@/lib/validation/text'
import { readBoundedText } from './body'
import { apiKeyLimiter, rateLimitHeaders } from './rate-limit'

interface Ctx<P> {
  req: Request
  params: P
  actor: Actor | null
}

interface Options<S extends z.ZodType | undefined> {
  /** Scope an API key must hold; a session holds every scope its role allows. */
  scope?: Scope
  /** Also serve anonymous callers (public reads); `actor` is null for them. */
  anonymous?: boolean
  /** Open to everyone: no actor is resolved, so no key (not even a revoked one) changes the answer. */
  open?: boolean
  params?: S
}

type Params<S> = S extends z.ZodType ? z.infer<S> : Record<string, string>

/**
 * Wraps a route handler: refuses cross-site cookie-authenticated changes (403), resolves the actor
 * (API key or session), applies the per-key rate limit (429 with Retry-After), checks the scope,
 * validates the path params with zod (a param that fails names no resource: 404), and turns any
 * thrown error into RFC 9457 problem+json. Query values with control characters never get here
 * (the HTTP server refuses them, lib/web/request-guard.ts).
 */
export function route<S extends z.ZodType | undefined = undefined>(
  options: Options<S>,
  handler: (ctx: Ctx<Params<S>> & { actor: Actor | null }) => Promise<Response> | Response,
) {
  return async (req: Request, context: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      assertNotCrossSite(req.method, { authorization: req.headers.get('authorization'), cookie: req.headers.get('cookie') }, originHeaders(req.headers))
      const actor = options.open ? null : await actorFromRequest(req)
      // A key that was sent but is unknown or revoked is an error even where anonymous calls are
      // fine: silently serving it as anonymous would hide the client's mistake.
      if (!actor && !options.open && /^bearer\s/i.test(req.headers.get('authorization') ?? '')) {
        throw new AppError('UNAUTHENTICATED', 'The API key is invalid or revoked.')
      }
      const limit = actor?.apiKeyId ? apiKeyLimiter().take(actor.apiKeyId) : null
      if (limit && !limit.ok) {
        recordRateLimited()
        const err = new AppError('RATE_LIMITED', `Rate limit of ${limit.limit} requests per minute exceeded; retry in ${limit.retryAfterS} s.`)
        return problemResponse(err, rateLimitHeaders(limit))
      }
      const raw = (await context?.params) ?? {}
      const params = parseParams(options.params, raw) as Params<S>
      if (options.scope && (actor || !options.anonymous)) requireScope(actor, options.scope)
      const res = await handler({ req, params, actor })
      if (limit) withHeaders(res, rateLimitHeaders(limit))
      return res
    } catch (err) {
      if (!(err instanceof AppError) && (err as Error)?.name !== 'ZodError') log.error({ err }, 'route failed')
      // The rest of a refused body is not worth reading: closing the connection stops the client sending it.
      return problemResponse(err, err instanceof AppError && err.code === 'TOO_LARGE' ? { connection: 'close' } : undefined)
    }
  }
}

/** Path params that do not validate cannot name a resource: 404, as for an unknown id. */
function parseParams(schema: z.ZodType | undefined, raw: Record<string, string | string[]>): unknown {
  if (!schema) {
    const values = Object.values(raw).flat()
    if (values.some((v) => hasControlCharacters(v))) throw new AppError('NOT_FOUND', 'No such resource.')
    return raw
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new AppError('NOT_FOUND', 'No such resource.')
  return parsed.data
}

/** Adds headers where the response allows it (a proxied fetch response has immutable headers). */
function withHeaders(res: Response, headers: Record<string, string>): void {
  try {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v)
  } catch {
    // immutable: the limit headers are informational
  }
}

/** Largest JSON body any operation takes (a 500-id playlist is ~15 KB). */
export const MAX_JSON_BYTES = 1024 * 1024

/**
 * Parses a JSON body with a zod schema: over MAX_JSON_BYTES is a 413 (refused before it is
 * buffered), malformed JSON a 400, a NUL anywhere in it or a shape error a 422. With `optional`,
 * an empty body counts as `{}`.
 */
export async function jsonBody<T extends z.ZodType>(req: Request, schema: T, opts: { optional?: boolean } = {}): Promise<z.infer<T>> {
  const text = await readBoundedText(req, MAX_JSON_BYTES)
  let body: unknown
  try {
    body = opts.optional && text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    throw new AppError('BAD_REQUEST', 'The body must be valid JSON.')
  }
  const nul = pathOfNul(body)
  if (nul !== null)
    throw new AppError('INVALID_INPUT', 'The request did not validate.', { errors: [{ path: nul, message: 'must not contain NUL characters' }] })
  return schema.parse(body)
}

/** Where in a parsed JSON value a string (or key) holds NUL, which no text column can store; null when none does. */
function pathOfNul(value: unknown, at: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\0') ? at.join('.') : null
  if (typeof value !== 'object' || value === null) return null
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\0')) return [...at, k].join('.')
    const found = pathOfNul(v, [...at, k])
    if (found !== null) return found
  }
  return null
}

export const json = (data: unknown, init?: ResponseInit): Response =>
  Response.json(data, { ...init, headers: { 'cache-control': 'no-store', ...init?.headers } })
