import { randomBytes } from 'node:crypto'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { AppError } from '@/lib/errors/app-error'
import { evaluatePreconditions, httpDateMs, ifRangeHolds, strongEtag } from '@/lib/streaming/conditional'
import { contentDisposition, contentTypeFor, dispositionFor } from '@/lib/streaming/content-type'
import { FileSliceStream } from '@/lib/streaming/file-slice'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { multipartByteranges } from '@/lib/streaming/multipart'
import { READ_PIECE_BYTES } from '@/lib/streaming/pipe'
import { type ByteRange, parseRange } from '@/lib/streaming/ranges'

/** `live`: outputs of a running encode (growing playlists), which change and must be revalidated. */
export type AccessKind = 'public' | 'private' | 'live'

/** Lower-case header name in, value out; adapts Node and Web headers alike (see `headerGetter`). */
export type HeaderGetter = (name: string) => string | undefined

export interface FileResponse {
  status: number
  headers: Record<string, string>
  /** Null for HEAD, 304, 412, 416 and 405. The file is opened on first read and closed on end or destroy. */
  body: Readable | null
}

/** A stored file that is not on this node's disk (a remote content store): its facts, and a way to read a slice. */
export interface RemoteFile {
  size: number
  /** The object's own strong ETag. */
  etag: string
  lastModifiedMs: number
  /** Inclusive byte positions; opened on first read. */
  slice(start: number, end: number): Readable
}

export interface ServeFileInput {
  method: string
  header: HeaderGetter
  /** Absolute path, already vetted by `resolveStoredFile`. */
  filePath: string
  /** Set: the bytes come from here instead of `filePath`. */
  remote?: RemoteFile
  hash: string
  relPath: string
  access: AccessKind
  /** Type recognised at ingest for the extension-less `original` (served only if it is one of our video types). */
  originalType?: string
  /** Name offered in Content-Disposition; defaults to the file's own name. */
  filename?: string
  /** Always `attachment` (a download), whatever the type. */
  attachment?: boolean
  pieceSize?: number
}

// Stored content never changes under a hash, so public copies may be kept by any cache forever.
const PUBLIC_CACHE_CONTROL = 'public, max-age=31536000, immutable'
// Private copies stay in the viewer's own cache briefly: access may be revoked.
export const PRIVATE_MAX_AGE_SECONDS = 300
const PRIVATE_CACHE_CONTROL = `private, max-age=${PRIVATE_MAX_AGE_SECONDS}`

export function cacheControlFor(access: AccessKind): string {
  return access === 'public' ? PUBLIC_CACHE_CONTROL : access === 'live' ? 'no-cache' : PRIVATE_CACHE_CONTROL
}
// More ranges than this (after coalescing) is not a player's access pattern; we answer with the whole file.
export const MAX_MULTIPART_RANGES = 16

/** Adapts Node `IncomingHttpHeaders` or a Web `Headers` to the getter `serveFile` reads. */
export function headerGetter(source: Headers | Record<string, string | string[] | undefined>): HeaderGetter {
  if (typeof (source as Headers).get === 'function') {
    const h = source as Headers
    return (name) => h.get(name) ?? undefined
  }
  const record = source as Record<string, string | string[] | undefined>
  return (name) => {
    const v = record[name]
    return Array.isArray(v) ? v.join(', ') : v
  }
}

async function statFile(filePath: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const s = await stat(filePath)
    if (!s.isFile()) throw new AppError('NOT_FOUND', 'No such file.')
    return { size: s.size, mtimeMs: s.mtimeMs }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('NOT_FOUND', 'No such file.')
    throw err
  }
}

/**
 * Answers GET and HEAD for one stored file with RFC 9110 semantics: conditionals (§13), ranges (§14),
 * exact Content-Length on every 200/206 and HEAD. Never reads the file except to stream the body.
 */
export async function serveFile(input: ServeFileInput): Promise<FileResponse> {
  const method = input.method.toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...MEDIA_SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Length': '0' }, body: null }
  }
  const { remote } = input
  const { size, mtimeMs } = remote ? { size: remote.size, mtimeMs: remote.lastModifiedMs } : await statFile(input.filePath)
  const etag = remote ? remote.etag : strongEtag(input.hash, input.relPath, size, mtimeMs)
  const lastModifiedMs = httpDateMs(mtimeMs)
  const validators: Record<string, string> = {
    ETag: etag,
    'Last-Modified': new Date(lastModifiedMs).toUTCString(),
    'Cache-Control': cacheControlFor(input.access),
    'Accept-Ranges': 'bytes',
    ...MEDIA_SECURITY_HEADERS,
  }
  const empty = (status: number, extra: Record<string, string> = {}): FileResponse => ({
    status,
    headers: { ...validators, ...extra },
    body: null,
  })

  const precondition = evaluatePreconditions(input.header, etag, lastModifiedMs)
  if (precondition === 'failed') return empty(412, { 'Content-Length': '0' })
  if (precondition === 'not-modified') return empty(304)

  const contentType = contentTypeFor(input.relPath, input.originalType)
  const entity = {
    ...validators,
    'Content-Type': contentType,
    'Content-Disposition': contentDisposition(
      input.filename ?? path.posix.basename(input.relPath),
      input.attachment ? 'attachment' : dispositionFor(contentType),
    ),
  }
  const isGet = method === 'GET'
  const pieceSize = input.pieceSize ?? READ_PIECE_BYTES
  const slice = (start: number, end: number): Readable => (remote ? remote.slice(start, end) : new FileSliceStream(input.filePath, start, end, pieceSize))
  const whole = (): FileResponse => ({
    status: 200,
    headers: { ...entity, 'Content-Length': String(size) },
    body: isGet && size > 0 ? slice(0, size - 1) : null,
  })

  // Only GET honours Range (RFC 9110 §14.2); If-Range that no longer holds means "send it all".
  const rangeHeader = isGet ? input.header('range') : undefined
  if (rangeHeader === undefined) return whole()
  const ifRange = input.header('if-range')
  if (ifRange !== undefined && !ifRangeHolds(ifRange, etag, lastModifiedMs)) return whole()

  const decision = parseRange(rangeHeader, size)
  if (decision.kind === 'full') return whole()
  if (decision.kind === 'unsatisfiable') {
    return empty(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': '0' })
  }
  if (decision.ranges.length === 1) return singleRange(decision.ranges[0], size, entity, slice)
  // Several disjoint ranges get a real multipart/byteranges body; too many fall back to the whole file.
  if (decision.ranges.length > MAX_MULTIPART_RANGES) return whole()
  const multipart = multipartByteranges({
    slice,
    ranges: decision.ranges,
    size,
    contentType,
    boundary: randomBytes(12).toString('hex'),
  })
  return {
    status: 206,
    headers: {
      ...entity,
      'Content-Type': `multipart/byteranges; boundary=${multipart.boundary}`,
      'Content-Length': String(multipart.length),
    },
    body: multipart.body,
  }
}

function singleRange(range: ByteRange, size: number, entity: Record<string, string>, slice: (start: number, end: number) => Readable): FileResponse {
  return {
    status: 206,
    headers: {
      ...entity,
      'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
      'Content-Length': String(range.end - range.start + 1),
    },
    body: slice(range.start, range.end),
  }
}
