import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi'
import type { z } from 'zod'
import type { Scope } from '@/lib/auth/actor'
import { problemSchema } from '@/lib/errors'

/** What the `{id}`-like path parameter of an operation names, for the check-params suite. */
export type ResourceKind =
  | 'video'
  | 'session'
  | 'content'
  | 'webhook'
  | 'delivery'
  | 'apiKey'
  | 'user'
  | 'playlist'
  | 'room'
  | 'upload'
  | 'directUpload'
  | 'invite'

/**
 * How an operation is protected. Carried in the document as `x-reelhouse-access` so clients (and
 * the check-params tests) can tell what each principal should get.
 * - `auth`: `key` = API key or session (the default), `none` = open to all, `metrics` = METRICS_TOKEN
 *   or an admin, `token` = a signed token in the path is the credential.
 * - `scope`: the API-key scope required; null = any valid key.
 * - `anonymous`: anonymous callers are served too (only public data).
 * - `admin`: only admins (role ADMIN and, for keys, the admin scope).
 * - `resource`: the resource the path names; a caller who may not see it gets 404.
 * - `shared`: any signed-in caller who knows the id may read the resource; changing it is for the
 *   owner and admins (others get 403).
 * - `protocol`: `tus` for tus 1.0 requests (they need `Tus-Resumable`).
 */
export interface Access {
  auth?: 'key' | 'none' | 'metrics' | 'token'
  scope: Scope | null
  anonymous?: boolean
  admin?: boolean
  resource?: ResourceKind
  shared?: boolean
  protocol?: 'tus'
}

export type Method = 'get' | 'post' | 'patch' | 'delete' | 'head' | 'put'

export interface OperationSpec {
  method: Method
  path: string
  operationId: string
  summary: string
  description?: string
  tag: string
  access: Access
  params?: z.ZodObject
  query?: z.ZodObject
  headers?: z.ZodObject
  body?: { schema: z.ZodType; contentType?: string; required?: boolean; description?: string }
  success: {
    status: number
    description: string
    schema?: z.ZodType
    contentType?: string
    headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>
  }
  /** Extra error statuses this operation can answer besides the ones derived from `access`. */
  errors?: number[]
}

const ERROR_TEXT: Record<number, string> = {
  400: 'The body cannot be parsed.',
  401: 'No valid credentials (missing, unknown or revoked API key, expired session or token).',
  403: 'The caller may not do this (API key scope missing, or not an admin).',
  404: 'No such resource, or the caller may not know it exists.',
  409: "The resource's state forbids the operation.",
  413: 'The body is too large.',
  415: 'Unsupported media type.',
  422: 'The request did not validate; `errors` lists the fields.',
  429: 'Rate limit exceeded; retry after `Retry-After` seconds.',
  501: 'Not offered by this server.',
  503: 'A dependency is unavailable.',
}

const problem = (status: number): ResponseConfig => ({
  description: ERROR_TEXT[status] ?? 'Error.',
  content: { 'application/problem+json': { schema: problemSchema } },
  ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
})

function securityOf(a: Access): RouteConfig['security'] {
  switch (a.auth ?? 'key') {
    case 'none':
    case 'token':
      return []
    case 'metrics':
      return [{ metricsToken: [] }, { apiKey: ['admin'] }, { session: [] }]
    default: {
      const key = { apiKey: a.admin ? ['admin'] : a.scope ? [a.scope] : [] }
      return a.anonymous ? [{}, key, { session: [] }] : [key, { session: [] }]
    }
  }
}

function errorStatuses(spec: OperationSpec): number[] {
  const a = spec.access
  const s = new Set<number>(spec.errors ?? [])
  const keyed = (a.auth ?? 'key') === 'key'
  if (keyed || a.auth === 'metrics' || a.auth === 'token') s.add(401)
  if (keyed && (a.scope || a.admin)) s.add(403)
  if (keyed) s.add(429)
  if (spec.params || a.resource) s.add(404)
  if (spec.params || spec.query || spec.body) s.add(422)
  if (spec.body && (spec.body.contentType ?? 'application/json') === 'application/json') s.add(400)
  return [...s].sort()
}

function describe(spec: OperationSpec): string {
  const a = spec.access
  const who =
    a.auth === 'none'
      ? 'Open to everyone.'
      : a.auth === 'metrics'
        ? 'Needs `Authorization: Bearer $METRICS_TOKEN` or an admin.'
        : a.auth === 'token'
          ? 'The signed token in the path is the only credential.'
          : `${a.admin ? 'Admins only. ' : ''}${a.scope ? `API key scope: \`${a.admin ? 'admin' : a.scope}\`.` : 'Any valid API key or session.'}${a.anonymous ? ' Anonymous callers get public data only.' : ''}`
  return [spec.description, `**Access:** ${who}`].filter(Boolean).join('\n\n')
}

/** Registers one operation with its standard problem+json error responses and access metadata. */
export function defineOperation(registry: OpenAPIRegistry, spec: OperationSpec): void {
  const success: ResponseConfig = {
    description: spec.success.description,
    ...(spec.success.headers ? { headers: spec.success.headers } : {}),
    ...(spec.success.schema ? { content: { [spec.success.contentType ?? 'application/json']: { schema: spec.success.schema } } } : {}),
  }
  const responses: Record<number, ResponseConfig> = { [spec.success.status]: success }
  for (const status of errorStatuses(spec)) responses[status] = problem(status)
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    description: describe(spec),
    tags: [spec.tag],
    security: securityOf(spec.access),
    request: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.body
        ? {
            body: {
              required: spec.body.required ?? true,
              ...(spec.body.description ? { description: spec.body.description } : {}),
              content: { [spec.body.contentType ?? 'application/json']: { schema: spec.body.schema } },
            },
          }
        : {}),
    },
    responses,
    'x-reelhouse-access': spec.access,
  } as RouteConfig)
}
