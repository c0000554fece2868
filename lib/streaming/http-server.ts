import type { IncomingMessage, ServerResponse } from 'node:http'
import { DOWNLOAD_PARAM, ORIGINAL, remoteLivePath } from '@/lib/content/layout'
import type { ContentStore } from '@/lib/content/store'
import { HASH_RE } from '@/lib/content/paths'
import { toProblem } from '@/lib/errors/app-error'
import { log } from '@/lib/log'
import { clientAddress, type OpenResponses, RETRY_AFTER_SECONDS, refusalError } from '@/lib/streaming/admission'
import { type CorsPolicy, corsHeadersFor, NO_PRIVATE_ORIGINS, preflightHeadersFor, withCors } from '@/lib/streaming/cors'
import { answerForFront, cameThroughFront } from '@/lib/streaming/front'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { PARTIAL_PREFIX, resolveStoredFile } from '@/lib/streaming/paths'
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, type SendOutcome, sendFileResponse } from '@/lib/streaming/pipe'
import { remoteFile } from '@/lib/streaming/remote-file'
import { type AccessKind, headerGetter, serveFile } from '@/lib/streaming/serve-file'

export const CONTENT_URL_PREFIX = '/api/v1/content/'

export interface ContentUrl {
  hash: string
  /** Playback token from `/t/{token}/`, when the URL carries one. */
  token?: string
  /** Path under the content directory, not decoded: stored names never need escaping. */
  relPath: string
}

/** Decides access for one request: `'public'` or `'private'`, or throws AppError (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND). */
export type Authorize = (request: { hash: string; token?: string; relPath: string; req: IncomingMessage }) => Promise<AccessKind>

/** What we recognised about the uploaded file at ingest, for the extension-less `original`. */
export interface OriginalFacts {
  type?: string
  filename?: string
  /** A download (`?download=<video id>`): sent as an attachment, kept out of shared caches. */
  attachment?: boolean
}

/** `'front'`: authorized for the nginx front, which sends the bytes itself; `'preflight'`: a CORS OPTIONS answered. */
export type ContentOutcome = SendOutcome | 'problem' | 'front' | 'preflight' | 'redirect'

export type RedirectPolicy = (file: {
  store: ContentStore
  hash: string
  relPath: string
  access: AccessKind
  originalType?: string
  filename?: string
  /** A download: the presigned answer must say `attachment` too. */
  attachment?: boolean
}) => Promise<string | null>

export interface ContentRequestOptions {
  authorize: Authorize
  dataDir?: string
  /** `download`: the video id of a download request, which must be allowed for this access (or this throws FORBIDDEN). */
  describeOriginal?: (hash: string, download?: string, access?: AccessKind) => Promise<OriginalFacts | undefined>
  pieceSize?: number
  /** Idle timeout and slow-write rule; defaults to `DEFAULT_DELIVERY_POLICY`. */
  delivery?: Partial<DeliveryPolicy>
  /** Which other sites' pages may read private media (public media: any); none when absent. */
  cors?: CorsPolicy
  /** Ceilings on open media responses sent by this process (not those the front sends); none when absent. */
  openResponses?: OpenResponses
  /** Where content lives: a remote store's files are read from it, local ones from `dataDir`. */
  store?: ContentStore
  /** Where to send a client instead of streaming a remote store's file (a CDN or presigned URL); null: stream it. */
  redirect?: RedirectPolicy
  /** Called once the response is over, e.g. for metrics, with the body bytes a complete response carried. */
  onDone?: (outcome: ContentOutcome, target: ContentUrl, bodyBytes: number) => void
}

const streamLog = log.child({ c: 'streaming' })
const ALLOWED_METHODS = 'GET, HEAD, OPTIONS'

function pathOf(url: string): string {
  const end = url.search(/[?#]/)
  const target = end === -1 ? url : url.slice(0, end)
  // Absolute-form request targets (RFC 9112 §3.2.2) carry scheme and authority first.
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(target)
  return origin ? target.slice(origin[0].length) : target
}

/**
 * Recognises `/api/v1/content/{hash}/{...path}` and `/api/v1/content/{hash}/t/{token}/{...path}`.
 * Null for anything else, including `/api/v1/content/{hash}` and `/info` (JSON, answered by Next).
 */
export function parseContentUrl(url: string): ContentUrl | null {
  const p = pathOf(url)
  if (!p.startsWith(CONTENT_URL_PREFIX)) return null
  const rest = p.slice(CONTENT_URL_PREFIX.length)
  const slash = rest.indexOf('/')
  if (slash === -1) return null
  const hash = rest.slice(0, slash)
  const tail = rest.slice(slash + 1)
  if (!HASH_RE.test(hash) || tail === '' || tail === 'info' || tail === 'info/') return null
  if (!tail.startsWith('t/')) return { hash, relPath: tail }
  const afterT = tail.slice(2)
  const cut = afterT.indexOf('/')
  return cut === -1 ? { hash, token: afterT, relPath: '' } : { hash, token: afterT.slice(0, cut), relPath: afterT.slice(cut + 1) }
}

/** The `download` query parameter (a video id), if the URL has one. */
export function downloadParam(url: string): string | undefined {
  const q = url.indexOf('?')
  if (q === -1) return undefined
  return new URLSearchParams(url.slice(q + 1).split('#')[0]).get(DOWNLOAD_PARAM) ?? undefined
}

/** A problem+json answer with the media path's headers (the response is dropped if it has begun). */
export function writeProblem(res: ServerResponse, problem: Record<string, unknown> & { status: number }, extra = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const body = JSON.stringify(problem)
  res.writeHead(problem.status, {
    'Content-Type': 'application/problem+json',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...MEDIA_SECURITY_HEADERS,
    ...extra,
  })
  res.end(body)
}

/**
 * Serves one stored content file straight onto a Node response (exact Content-Length, ranges,
 * backpressure). Returns false, having touched nothing, when the URL is not a content-file URL so the
 * caller can hand the request on; otherwise resolves true once the response is finished.
 */
export async function handleContentRequest(req: IncomingMessage, res: ServerResponse, options: ContentRequestOptions): Promise<boolean> {
  const target = parseContentUrl(req.url ?? '')
  if (target === null) return false
  const method = req.method ?? 'GET'
  const cors = options.cors ?? NO_PRIVATE_ORIGINS
  if (method === 'OPTIONS') {
    await answerPreflight(req, res, target, options, cors)
    return true
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const problem = { type: 'about:blank', title: 'Method not allowed', status: 405, detail: 'Use GET or HEAD.' }
    writeProblem(res, problem, { Allow: ALLOWED_METHODS })
    options.onDone?.('problem', target, 0)
    return true
  }
  // Behind the front nginx holds the client's connection and sends the bytes: only our own count.
  const release = cameThroughFront(req) ? undefined : options.openResponses?.admit(clientAddress(req.socket.remoteAddress))
  if (typeof release === 'string') {
    writeProblem(res, toProblem(refusalError(release)), { 'Retry-After': String(RETRY_AFTER_SECONDS) })
    options.onDone?.('problem', target, 0)
    return true
  }
  // Known once access is decided; a 404 or 416 inside readable content is readable to the player too.
  let corsHeaders: Record<string, string> = {}
  try {
    let file = resolveStoredFile(target.hash, target.relPath, options.dataDir)
    const authorized = await options.authorize({ hash: target.hash, token: target.token, relPath: file.relPath, req })
    corsHeaders = corsHeadersFor(authorized, req.headers.origin, cors)
    const live = file.relPath.startsWith(PARTIAL_PREFIX)
    const original = file.relPath === ORIGINAL ? await options.describeOriginal?.(target.hash, downloadParam(req.url ?? ''), authorized) : undefined
    // A download may stop being allowed: no shared cache keeps it.
    const access = live ? 'live' : original?.attachment ? 'private' : authorized
    // A remote store's bytes are not on this node's disk: the front has nothing to send them from.
    const store = options.store && options.store.kind !== 'local' ? options.store : undefined
    if (cameThroughFront(req) && !store) {
      const answer = { file, access, originalType: original?.type, filename: original?.filename, attachment: original?.attachment, dataDir: options.dataDir }
      await answerForFront(res, answer, corsHeaders)
      // The front sends the bytes: they are its to count.
      options.onDone?.('front', target, 0)
      return true
    }
    if (store && options.redirect) {
      const location = await options.redirect({
        store,
        hash: file.hash,
        relPath: file.relPath,
        access,
        originalType: original?.type,
        filename: original?.filename,
        attachment: original?.attachment,
      })
      if (location) {
        res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0', ...MEDIA_SECURITY_HEADERS, ...corsHeaders })
        res.end()
        options.onDone?.('redirect', target, 0)
        return true
      }
    }
    const serve = async () =>
      serveFile({
        remote: store ? await remoteFile(store, file.hash, live ? remoteLivePath(file.relPath) : file.relPath, { live }) : undefined,
        method,
        header: headerGetter(req.headers),
        filePath: file.absPath,
        hash: file.hash,
        relPath: file.relPath,
        access,
        originalType: original?.type,
        filename: original?.filename,
        attachment: original?.attachment,
        pieceSize: options.pieceSize,
      })
    // A player still on the growing playlists when the encode completes asks for files that just
    // moved from the work directory to their final place: serve them from there.
    const result = await serve().catch(async (err) => {
      if (!live || toProblem(err).status !== 404) throw err
      file = resolveStoredFile(target.hash, file.relPath.slice(PARTIAL_PREFIX.length), options.dataDir)
      return serve()
    })
    // Not inlined into the optional call: `f?.(x)` skips evaluating `x` when `f` is absent.
    const outcome = await sendFileResponse(
      res,
      { ...result, headers: withCors(result.headers, corsHeaders) },
      { ...DEFAULT_DELIVERY_POLICY, ...options.delivery },
    )
    // From the result: headers given to writeHead are not readable back through res.getHeader().
    options.onDone?.(outcome, target, result.body ? Number(result.headers['Content-Length'] ?? 0) : 0)
  } catch (err) {
    const problem = toProblem(err)
    if (problem.status >= 500) streamLog.error({ err, url: req.url }, 'content request failed')
    writeProblem(res, problem, corsHeaders)
    options.onDone?.('problem', target, 0)
  } finally {
    release?.()
  }
  return true
}

/** A browser asking whether a player on another site may GET this file with a Range header. */
async function answerPreflight(req: IncomingMessage, res: ServerResponse, target: ContentUrl, options: ContentRequestOptions, cors: CorsPolicy): Promise<void> {
  try {
    const file = resolveStoredFile(target.hash, target.relPath, options.dataDir)
    const access = await options.authorize({ hash: target.hash, token: target.token, relPath: file.relPath, req })
    res.writeHead(204, { Allow: ALLOWED_METHODS, ...preflightHeadersFor(access, req.headers.origin, cors) })
    res.end()
    options.onDone?.('preflight', target, 0)
  } catch (err) {
    writeProblem(res, toProblem(err))
    options.onDone?.('problem', target, 0)
  }
}
