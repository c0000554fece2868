import { createHash } from 'node:crypto'

/**
 * Strong validator from what identifies the bytes (content hash + relative path + size), so the request
 * path never reads the file to make it. The mtime is mixed in because manifests are rewritten while a
 * content is still being packaged, and a rewrite may keep the size; once stored, nothing changes.
 */
export function strongEtag(hash: string, relPath: string, size: number, mtimeMs: number): string {
  const id = createHash('sha256').update(`${hash}/${relPath}`).digest('base64url').slice(0, 22)
  return `"${id}-${size.toString(16)}-${Math.floor(mtimeMs / 1000).toString(36)}"`
}

interface EntityTag {
  weak: boolean
  opaque: string
}

const ENTITY_TAG_RE = /(W\/)?"([^"]*)"/g

function parseTagList(header: string): EntityTag[] | '*' {
  if (header.trim() === '*') return '*'
  return [...header.matchAll(ENTITY_TAG_RE)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2] }))
}

function opaqueOf(etag: string): string {
  return etag.replace(/^W\//, '').slice(1, -1)
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): a match means 304 for GET and HEAD. */
function noneMatchHits(header: string, etag: string): boolean {
  const tags = parseTagList(header)
  if (tags === '*') return true
  return tags.some((t) => t.opaque === opaqueOf(etag))
}

/** If-Match uses strong comparison (RFC 9110 §13.1.1): no match means 412. */
function ifMatchFails(header: string, etag: string): boolean {
  const tags = parseTagList(header)
  if (tags === '*') return false
  return !tags.some((t) => !t.weak && t.opaque === opaqueOf(etag))
}

/** Seconds-resolution time as sent in Last-Modified. */
export function httpDateMs(mtimeMs: number): number {
  return Math.floor(mtimeMs / 1000) * 1000
}

function parseHttpDate(value: string): number | undefined {
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

/** If-Modified-Since: 304 when the file has not changed since the given date (ignored if unparsable). */
function notModifiedSince(header: string, lastModifiedMs: number): boolean {
  const since = parseHttpDate(header)
  return since !== undefined && lastModifiedMs <= since
}

/** If-Unmodified-Since: 412 when the file changed after the given date (ignored if unparsable). */
function modifiedSince(header: string, lastModifiedMs: number): boolean {
  const since = parseHttpDate(header)
  return since !== undefined && lastModifiedMs > since
}

/**
 * GET/HEAD preconditions in RFC 9110 §13.2.2 order: If-Match (else If-Unmodified-Since) may fail with
 * 412; If-None-Match (else If-Modified-Since) may answer 304. Range and If-Range are left to the caller.
 */
export function evaluatePreconditions(
  header: (name: string) => string | undefined,
  etag: string,
  lastModifiedMs: number,
): 'proceed' | 'failed' | 'not-modified' {
  const ifMatch = header('if-match')
  const ifUnmodifiedSince = header('if-unmodified-since')
  if (ifMatch !== undefined) {
    if (ifMatchFails(ifMatch, etag)) return 'failed'
  } else if (ifUnmodifiedSince !== undefined && modifiedSince(ifUnmodifiedSince, lastModifiedMs)) {
    return 'failed'
  }
  const ifNoneMatch = header('if-none-match')
  if (ifNoneMatch !== undefined) return noneMatchHits(ifNoneMatch, etag) ? 'not-modified' : 'proceed'
  const ifModifiedSince = header('if-modified-since')
  return ifModifiedSince !== undefined && notModifiedSince(ifModifiedSince, lastModifiedMs) ? 'not-modified' : 'proceed'
}

/**
 * If-Range (RFC 9110 §13.1.5): the Range applies only when the validator still names these bytes:
 * a strong ETag equal to ours (a weak one never matches) or an HTTP-date exactly equal to Last-Modified.
 */
export function ifRangeHolds(header: string, etag: string, lastModifiedMs: number): boolean {
  const value = header.trim()
  if (value.startsWith('W/')) return false
  if (value.startsWith('"')) return value === etag
  return parseHttpDate(value) === lastModifiedMs
}
