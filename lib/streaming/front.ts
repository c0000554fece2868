import type { IncomingMessage, ServerResponse } from 'node:http'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { contentRoot } from '@/lib/content/paths'
import { AppError } from '@/lib/errors/app-error'
import { contentDisposition, contentTypeFor, dispositionFor } from '@/lib/streaming/content-type'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { PARTIAL_PREFIX, resolveStoredFile, type StoredFile } from '@/lib/streaming/paths'
import { type AccessKind, cacheControlFor } from '@/lib/streaming/serve-file'

/*
 * Media behind the nginx front (deploy/nginx): the app keeps every access rule and decides the
 * headers, nginx sends the bytes (sendfile, ranges, ETags, 304, 416) after an X-Accel-Redirect to
 * its `internal` location over DATA_DIR/content. The front sets FRONT_HEADER on the media requests it
 * proxies and replaces any value a client sent; a request without it gets the bytes from the app.
 */
export const FRONT_HEADER = 'x-reelhouse-front'
export const FRONT_MODE = 'x-accel'
/** The front's `internal` location mapped onto DATA_DIR/content (deploy/nginx/reelhouse.conf). */
export const FRONT_STORED_PREFIX = '/_reelhouse/stored/'
/** How long the front may reuse a public authorization: a visibility change takes effect within it. */
export const FRONT_PUBLIC_AUTH_TTL_S = 10

export function cameThroughFront(req: IncomingMessage): boolean {
  return req.headers[FRONT_HEADER] === FRONT_MODE
}

export interface FrontAnswer {
  file: StoredFile
  access: AccessKind
  originalType?: string
  filename?: string
  /** Always `attachment` (a download), whatever the type. */
  attachment?: boolean
  dataDir?: string
}

async function isFile(absPath: string): Promise<boolean> {
  return stat(absPath).then(
    (s) => s.isFile(),
    () => false,
  )
}

// A player still on the growing playlists when the encode completes asks for files that just moved
// from the work directory to their final place: point nginx there (as the app's own path does).
async function existingFile(file: StoredFile, dataDir?: string): Promise<StoredFile> {
  if (await isFile(file.absPath)) return file
  if (file.relPath.startsWith(PARTIAL_PREFIX)) {
    const final = resolveStoredFile(file.hash, file.relPath.slice(PARTIAL_PREFIX.length), dataDir)
    if (await isFile(final.absPath)) return final
  }
  throw new AppError('NOT_FOUND', 'No such file.')
}

/** The headers-only answer nginx turns into the file's bytes; public answers may be reused by the front briefly. */
export async function frontHeaders(answer: FrontAnswer): Promise<Record<string, string>> {
  const file = await existingFile(answer.file, answer.dataDir)
  const fromRoot = path.relative(contentRoot(answer.dataDir), file.absPath).split(path.sep).join('/')
  const contentType = contentTypeFor(file.relPath, answer.originalType)
  return {
    'X-Accel-Redirect': `${FRONT_STORED_PREFIX}${fromRoot}`,
    'X-Accel-Expires': answer.access === 'public' ? String(FRONT_PUBLIC_AUTH_TTL_S) : '0',
    'Content-Type': contentType,
    'Content-Disposition': contentDisposition(
      answer.filename ?? path.posix.basename(file.relPath),
      answer.attachment ? 'attachment' : dispositionFor(contentType),
    ),
    'Cache-Control': cacheControlFor(answer.access),
    ...MEDIA_SECURITY_HEADERS,
    'Content-Length': '0',
  }
}

/** `extraHeaders` (CORS) reach the client: the front's internal location repeats them. */
export async function answerForFront(res: ServerResponse, answer: FrontAnswer, extraHeaders: Record<string, string> = {}): Promise<void> {
  res.writeHead(200, { ...(await frontHeaders(answer)), ...extraHeaders })
  res.end()
}
