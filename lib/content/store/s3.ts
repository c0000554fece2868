import { createReadStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { HASH_RE } from '@/lib/content/paths'
import { hashKeyPrefix, objectKey } from './keys'
import { createS3Client, type S3Settings } from './s3-client'
import { type ContentStore, type ObjectRead, type ReadRange, type StoredEntry, type StoredObject, UnsatisfiableRangeError } from './types'

/** Parts of a multipart upload: S3's minimum is 5 MiB; 8 MiB × 4 in flight keeps ≤ 32 MiB buffered per upload. */
export const MULTIPART_PART_BYTES = 8 << 20
const MULTIPART_QUEUE = 4
/** Files up to this size are one PutObject; larger ones a multipart upload. */
export const SINGLE_PUT_MAX_BYTES = 16 << 20
/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000

const statusOf = (err: unknown) => (err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined)
const isMissing = (err: unknown) => statusOf(err) === 404 || (err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound'))

const rangeHeader = (range: ReadRange) => ('suffix' in range ? `bytes=-${range.suffix}` : `bytes=${range.start}-${range.end}`)

/** `bytes 0-99/1000` → positions and total size. */
function parseContentRange(value: string): { start: number; end: number; size: number } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value.trim())
  return m ? { start: Number(m[1]), end: Number(m[2]), size: Number(m[3]) } : null
}

export function s3ContentStore(settings: S3Settings, client: S3Client = createS3Client(settings)): ContentStore {
  const Bucket = settings.bucket
  const key = (hash: string, relPath: string) => objectKey(settings.prefix, hash, relPath)

  const head = async (hash: string, relPath: string): Promise<StoredObject | null> => {
    try {
      const r = await client.send(new HeadObjectCommand({ Bucket, Key: key(hash, relPath) }))
      return { size: r.ContentLength ?? 0, etag: r.ETag ?? '', lastModified: r.LastModified ?? new Date(0) }
    } catch (err) {
      if (isMissing(err)) return null
      throw err
    }
  }

  const put = async (hash: string, relPath: string, source: string | Readable, opts?: { contentType?: string }) => {
    const params = { Bucket, Key: key(hash, relPath), ContentType: opts?.contentType }
    const size = typeof source === 'string' ? (await stat(source)).size : undefined
    // A file of known, modest size streams in one PutObject (no part bookkeeping, no buffering).
    if (typeof source === 'string' && size !== undefined && size <= SINGLE_PUT_MAX_BYTES) {
      await client.send(new PutObjectCommand({ ...params, Body: createReadStream(source, { highWaterMark: 1 << 20 }), ContentLength: size }))
      return
    }
    const Body = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source
    // Large files, and streams of unknown length, go up in parts; the object appears whole at the end either way.
    await new Upload({ client, params: { ...params, Body }, partSize: MULTIPART_PART_BYTES, queueSize: MULTIPART_QUEUE, leavePartsOnError: false }).done()
  }

  const list = async (hash: string): Promise<StoredEntry[]> => {
    const prefix = hashKeyPrefix(settings.prefix, hash)
    const out: StoredEntry[] = []
    for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? [])
        if (o.Key) out.push({ relPath: o.Key.slice(prefix.length), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) })
    }
    return out
  }

  const deleteKeys = async (hash: string, keys: string[]) => {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const Objects = keys.slice(i, i + DELETE_BATCH).map((Key) => ({ Key }))
      const r = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }))
      const failed = (r.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
      if (failed.length) throw new Error(`S3 could not delete ${failed.length} objects of ${hash}: ${failed[0].Code} ${failed[0].Message ?? ''}`.trim())
    }
  }

  return {
    kind: 's3',
    async has(hash) {
      return !!(await head(hash, 'original'))
    },
    async importOriginal(tempPath, hash) {
      try {
        if (await head(hash, 'original')) return false
        await put(hash, 'original', tempPath)
        return true
      } finally {
        await rm(tempPath, { force: true })
      }
    },
    put,
    head,
    async read(hash, relPath, range): Promise<ObjectRead | null> {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key(hash, relPath), Range: range && rangeHeader(range) }))
        const length = r.ContentLength ?? 0
        const span = r.ContentRange ? parseContentRange(r.ContentRange) : null
        const size = span?.size ?? length
        return {
          body: r.Body as Readable,
          size,
          etag: r.ETag ?? '',
          lastModified: r.LastModified ?? new Date(0),
          start: span?.start ?? 0,
          end: span?.end ?? length - 1,
        }
      } catch (err) {
        if (isMissing(err)) return null
        if (statusOf(err) === 416) {
          const object = await head(hash, relPath)
          if (!object) return null
          throw new UnsatisfiableRangeError(object.size)
        }
        throw err
      }
    },
    list,
    async remove(hash) {
      const prefix = hashKeyPrefix(settings.prefix, hash)
      await deleteKeys(
        hash,
        (await list(hash)).map((e) => prefix + e.relPath),
      )
    },
    async removeFiles(hash, relPaths) {
      await deleteKeys(
        hash,
        relPaths.map((p) => key(hash, p)),
      )
    },
    async listHashes() {
      const out: string[] = []
      for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix: settings.prefix, Delimiter: '/' })) {
        for (const p of page.CommonPrefixes ?? []) {
          const hash = p.Prefix?.slice(settings.prefix.length, -1) ?? ''
          if (HASH_RE.test(hash)) out.push(hash)
        }
      }
      return out
    },
    presignedGetUrl(hash, relPath, opts) {
      const command = new GetObjectCommand({
        Bucket,
        Key: key(hash, relPath),
        ResponseContentType: opts.contentType,
        ResponseContentDisposition: opts.contentDisposition,
        ResponseCacheControl: opts.cacheControl,
      })
      return getSignedUrl(client, command, { expiresIn: opts.expiresInSeconds })
    },
  }
}
