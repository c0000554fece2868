import type { Readable } from 'node:stream'

export interface StoredObject {
  size: number
  /** Quoted, as HTTP and S3 write it; changes whenever the bytes may have. */
  etag: string
  lastModified: Date
}

export interface StoredEntry {
  /** Path under the hash, `/`-separated. */
  relPath: string
  size: number
  lastModified: Date
}

/** Inclusive byte positions, or the last `suffix` bytes (`bytes=-N`). */
export type ReadRange = { start: number; end: number } | { suffix: number }

export interface ObjectRead extends StoredObject {
  body: Readable
  /** The bytes `body` carries, inclusive; the whole object when no range was asked. */
  start: number
  end: number
}

/** A range that starts past the end of the object (HTTP 416). */
export class UnsatisfiableRangeError extends Error {
  constructor(readonly size: number) {
    super(`range not satisfiable (size ${size})`)
  }
}

/**
 * Where content lives, addressed as `<hash>/<relPath>`: local disk (`local.ts`) or an S3 bucket
 * (`s3.ts`). Everything under a hash is written once and never changed in place.
 */
/** A presigned GET's lifetime, and the response headers it makes the store send. */
export interface PresignOptions {
  expiresInSeconds: number
  contentType?: string
  contentDisposition?: string
  cacheControl?: string
}

export interface ContentStore {
  readonly kind: 'local' | 's3'
  /** True when the hash's original is stored. */
  has(hash: string): Promise<boolean>
  /** Moves a finished temp file in as `<hash>/original`; a no-op returning false when already stored. The temp file is gone either way. */
  importOriginal(tempPath: string, hash: string): Promise<boolean>
  /** Stores a file (by path, left in place) or a stream under `<hash>/<relPath>`; readers see all of it or nothing. */
  put(hash: string, relPath: string, source: string | Readable, opts?: { contentType?: string }): Promise<void>
  head(hash: string, relPath: string): Promise<StoredObject | null>
  /** Null when there is no such file; throws `UnsatisfiableRangeError` for a range past its end. */
  read(hash: string, relPath: string, range?: ReadRange): Promise<ObjectRead | null>
  list(hash: string): Promise<StoredEntry[]>
  /** Deletes everything under the hash. */
  remove(hash: string): Promise<void>
  /** Deletes these files of the hash (missing ones are no error). */
  removeFiles(hash: string, relPaths: string[]): Promise<void>
  /** Every hash that has at least one file. */
  listHashes(): Promise<string[]>
  /** A URL anyone holding it may GET for `expiresInSeconds`; null where the store has none (local disk). */
  presignedGetUrl(hash: string, relPath: string, opts: PresignOptions): Promise<string | null>
}

export interface LocalContentStore extends ContentStore {
  readonly kind: 'local'
  /** Absolute path of a stored file, for code that needs the file itself (FFmpeg, the media server). */
  filePath(hash: string, relPath: string): string
}
