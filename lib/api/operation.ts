import type { z } from 'zod'
import type { Actor } from '@/lib/auth'
import { AppError } from '@/lib/errors'
import type { Access, Method, OperationSpec } from '@/lib/openapi/define'
import { json, jsonBody, route } from './route'

// One declaration per API operation: what the OpenAPI document says about it and the handler that
// serves it. The route file exports `handlersFor(...)`; the document walks `lib/openapi/registry`.

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined

/** Who the handler is called for: an actor is guaranteed unless the access rules admit none. */
type ActorFor<A extends Access> = A extends { auth: 'none' | 'token' | 'metrics' } ? null : A extends { anonymous: true } ? Actor | null : Actor

/** Only JSON bodies are parsed for the handler; others (multipart, tus) it reads from `req`. */
type BodyFor<B> = B extends { schema: infer S }
  ? B extends { contentType: string }
    ? B['contentType'] extends 'application/json'
      ? Parsed<S>
      : undefined
    : Parsed<S>
  : undefined

interface BodySpec {
  schema: z.ZodType
  contentType?: string
  required?: boolean
  description?: string
}

export interface Inputs<A extends Access, P, Q, B> {
  req: Request
  actor: ActorFor<A>
  params: Parsed<P>
  query: Parsed<Q>
  body: BodyFor<B>
}

/**
 * What a handler returns: a Response as is, or a value sent as JSON with the declared success
 * status (nothing for 204).
 */
type Result = Response | object | undefined

export interface Operation<
  M extends Method = Method,
  A extends Access = Access,
  P extends z.ZodObject | undefined = z.ZodObject | undefined,
  Q extends z.ZodObject | undefined = z.ZodObject | undefined,
  B extends BodySpec | undefined = BodySpec | undefined,
> extends Omit<OperationSpec, 'operationId' | 'method' | 'access' | 'params' | 'query' | 'body'> {
  method: M
  access: A
  params?: P
  query?: Q
  body?: B
  /** Headers on every response of this operation, problems included. */
  responseHeaders?: Readonly<Record<string, string>>
  /** Absent for what the HTTP server answers before Next (media bytes, tus, metrics). */
  handle?: (inputs: Inputs<A, P, Q, B>) => Result | Promise<Result>
}

/** Declares an operation; the literal types keep `actor`, `params`, `query` and `body` typed. */
export function operation<
  const M extends Method,
  const A extends Access,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  const B extends BodySpec | undefined = undefined,
>(op: Operation<M, A, P, Q, B>): Operation<M, A, P, Q, B> {
  return op
}

type NextHandler = (req: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>

// biome-ignore lint/suspicious/noExplicitAny: any operation, whatever its input types
type AnyOperation = Operation<Method, Access, any, any, any>

/** The Next route exports (`GET`, `POST`, …) of the operations that share one path. */
export function handlersFor<const O extends readonly AnyOperation[]>(...ops: O): { [K in O[number] as Uppercase<K['method']>]: NextHandler } {
  const out: Record<string, NextHandler> = {}
  for (const op of ops) {
    if (!op.handle) throw new Error(`${op.method.toUpperCase()} ${op.path} is not served by Next`)
    out[op.method.toUpperCase()] = serve(op)
  }
  return out as { [K in O[number] as Uppercase<K['method']>]: NextHandler }
}

function serve(op: AnyOperation): NextHandler {
  const a = op.access
  // The declaration typed the inputs; here they are produced from the same schemas.
  const handle = op.handle as (inputs: { req: Request; actor: Actor | null; params: unknown; query: unknown; body: unknown }) => Promise<Result> | Result
  const needsActor = (a.auth ?? 'key') === 'key' && !a.anonymous
  const served = route(
    { open: a.auth === 'none', scope: a.admin ? 'admin' : (a.scope ?? undefined), anonymous: a.anonymous, params: op.params },
    async ({ req, params, actor }) => {
      if (needsActor && !actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API key.')
      const query = op.query?.parse(Object.fromEntries(new URL(req.url).searchParams))
      const body =
        op.body && (op.body.contentType ?? 'application/json') === 'application/json'
          ? await jsonBody(req, op.body.schema, { optional: op.body.required === false })
          : undefined
      const result = await handle({ req, actor, params, query, body })
      if (result instanceof Response) return result
      return op.success.status === 204 ? new Response(null, { status: 204 }) : json(result, { status: op.success.status })
    },
  )
  const extra = op.responseHeaders
  if (!extra) return served
  return async (req, context) => {
    const res = await served(req, context)
    for (const [name, value] of Object.entries(extra)) res.headers.set(name, value)
    return res
  }
}
