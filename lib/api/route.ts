import type { z } from 'zod'
import { type Actor, actorFromRequest, requireScope, type Scope } from '@/lib/auth'
import { AppError, problemResponse } from '@/lib/errors'
import { log } from '@/lib/log'
import { recordRateLimited } from '@/lib/metrics/state'
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
  params?: S
}

type Params<S> = S extends z.ZodType ? z.infer<S> : Record<string, string>

/**
 * Wraps a route handler: resolves the actor (API key or session), applies the per-key rate limit
 * (429 with Retry-After), checks the scope, validates the path params with zod, and turns any
 * thrown error into RFC 9457 problem+json.
 */
export function route<S extends z.ZodType | undefined = undefined>(
  options: Options<S>,
  handler: (ctx: Ctx<Params<S>> & { actor: Actor | null }) => Promise<Response> | Response,
) {
  return async (req: Request, context: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      const actor = await actorFromRequest(req)
      // A key that was sent but is unknown or revoked is an error even where anonymous calls are
      // fine: silently serving it as anonymous would hide the client's mistake.
      if (!actor && /^bearer\s/i.test(req.headers.get('authorization') ?? '')) {
        throw new AppError('UNAUTHENTICATED', 'The API key is invalid or revoked.')
      }
      const limit = actor?.apiKeyId ? apiKeyLimiter().take(actor.apiKeyId) : null
      if (limit && !limit.ok) {
        recordRateLimited()
        const err = new AppError('RATE_LIMITED', `Rate limit of ${limit.limit} requests per minute exceeded; retry in ${limit.retryAfterS} s.`)
        return problemResponse(err, rateLimitHeaders(limit))
      }
      const raw = (await context?.params) ?? {}
      const params = (options.params ? options.params.parse(raw) : raw) as Params<S>
      if (options.scope && (actor || !options.anonymous)) requireScope(actor, options.scope)
      const res = await handler({ req, params, actor })
      if (limit) withHeaders(res, rateLimitHeaders(limit))
      return res
    } catch (err) {
      if (!(err instanceof AppError) && (err as Error)?.name !== 'ZodError') log.error({ err }, 'route failed')
      return problemResponse(err)
    }
  }
}

/** Adds headers where the response allows it (a proxied fetch response has immutable headers). */
function withHeaders(res: Response, headers: Record<string, string>): void {
  try {
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v)
  } catch {
    // immutable: the limit headers are informational
  }
}

/**
 * Parses a JSON body with a zod schema; malformed JSON is a 400, a shape error a 422. With
 * `optional`, an empty body counts as `{}`.
 */
export async function jsonBody<T extends z.ZodType>(req: Request, schema: T, opts: { optional?: boolean } = {}): Promise<z.infer<T>> {
  let body: unknown
  try {
    const text = await req.text()
    body = opts.optional && text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    throw new AppError('BAD_REQUEST', 'The body must be valid JSON.')
  }
  return schema.parse(body)
}

export const json = (data: unknown, init?: ResponseInit): Response =>
  Response.json(data, { ...init, headers: { 'cache-control': 'no-store', ...init?.headers } })
