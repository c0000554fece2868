import { z } from 'zod'

// Every failure a caller should see has a code here; one translator maps codes to HTTP.
export const ERROR_CODES = {
  /** The request's shape or values are wrong (zod issues listed). */
  INVALID_INPUT: 422,
  /** The request cannot be parsed at all (malformed JSON, wrong content type). */
  BAD_REQUEST: 400,
  /** No session, API key or token was presented, or it is invalid or expired. */
  UNAUTHENTICATED: 401,
  /** The caller is known but may not do this. */
  FORBIDDEN: 403,
  /** The thing does not exist or the caller may not know it exists. */
  NOT_FOUND: 404,
  /** The thing exists but its state forbids the operation (e.g. retrying a stored session). */
  CONFLICT: 409,
  /** The body is larger than allowed. */
  TOO_LARGE: 413,
  /** The media type is not accepted. */
  UNSUPPORTED_MEDIA: 415,
  /** The requested byte range cannot be served. */
  RANGE_NOT_SATISFIABLE: 416,
  /** The caller exceeded its rate limit. */
  RATE_LIMITED: 429,
  /** The server does not offer what was asked for (e.g. an oEmbed format other than JSON). */
  NOT_IMPLEMENTED: 501,
  /** A dependency (database, ffmpeg) is unavailable. */
  UNAVAILABLE: 503,
  /** A bug or an unexpected failure; details are logged, never returned. */
  INTERNAL: 500,
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/** The body of every error response, as the OpenAPI document describes it. */
export const problemSchema = z
  .object({
    type: z.string().meta({ example: 'about:blank' }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Validation failures, one per field (422 only).' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details. `code` is stable; `detail` is for people.' })

/** Marks every AppError, whichever copy of this module made it. */
const BRAND = Symbol.for('reelhouse.AppError')

export class AppError extends Error {
  readonly [BRAND] = true

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'AppError'
  }

  // The web process loads this module twice (Next's bundle for route handlers, the server's own
  // module graph for the realtime hand-off): an error made by one copy must still be an AppError
  // to the other, or a refusal relayed from the realtime process would become a 500.
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true
  }

  get status(): number {
    return ERROR_CODES[this.code]
  }
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  code: ErrorCode
  errors?: { path: string; message: string }[]
  [key: string]: unknown
}

const TITLES: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Invalid input',
  BAD_REQUEST: 'Bad request',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA: 'Unsupported media type',
  RANGE_NOT_SATISFIABLE: 'Range not satisfiable',
  RATE_LIMITED: 'Too many requests',
  NOT_IMPLEMENTED: 'Not implemented',
  UNAVAILABLE: 'Service unavailable',
  INTERNAL: 'Internal server error',
}

/** RFC 9457 problem details for any thrown value. Internal errors hide their message. */
export function toProblem(err: unknown): Problem {
  if (err instanceof z.ZodError) {
    return {
      type: 'about:blank',
      title: TITLES.INVALID_INPUT,
      status: 422,
      code: 'INVALID_INPUT',
      detail: 'The request did not validate.',
      errors: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    }
  }
  if (err instanceof AppError) {
    return {
      type: 'about:blank',
      title: TITLES[err.code],
      status: err.status,
      code: err.code,
      detail: err.message,
      ...err.details,
    }
  }
  return { type: 'about:blank', title: TITLES.INTERNAL, status: 500, code: 'INTERNAL', detail: 'Something went wrong.' }
}

export function problemResponse(err: unknown, headers?: HeadersInit): Response {
  const problem = toProblem(err)
  const h = new Headers(headers)
  h.set('content-type', 'application/problem+json')
  h.set('cache-control', 'no-store')
  return new Response(JSON.stringify(problem), { status: problem.status, headers: h })
}
