import path from 'node:path'
import { type Env, env } from '@/lib/config/env'
import { ORIGINAL } from '@/lib/content/layout'
import { cdnContentBase } from '@/lib/streaming/cdn'
import { contentDisposition, contentTypeFor, dispositionFor } from '@/lib/streaming/content-type'
import type { RedirectPolicy } from '@/lib/streaming/http-server'
import { cacheControlFor } from '@/lib/streaming/serve-file'

/** Presigned URLs of public files live long enough for a slow player; private ones only briefly (access may be revoked). */
export const PUBLIC_PRESIGN_SECONDS = 3600
export const PRIVATE_PRESIGN_SECONDS = 300

/**
 * Which media requests a node answers with a 302 rather than the bytes, with CONTENT_STORE=s3:
 * public stored files go to CDN_BASE_URL when set (the original excepted: its type is ours to
 * decide, a CDN would send the object's), else, with S3_REDIRECT, to a presigned URL carrying our
 * type, disposition and caching. A running encode's files are always streamed (they change).
 */
export function storeRedirectPolicy(e: Env = env()): RedirectPolicy | undefined {
  if (e.CONTENT_STORE !== 's3' || (e.S3_REDIRECT === 'off' && !e.CDN_BASE_URL)) return undefined
  const cdn = e.CDN_BASE_URL
  return async ({ store, hash, relPath, access, originalType, filename, attachment }) => {
    if (access === 'live') return null
    if (access === 'public' && cdn && relPath !== ORIGINAL) return `${cdnContentBase(hash, e)}/${relPath}`
    if (e.S3_REDIRECT === 'off' || (access === 'private' && e.S3_REDIRECT !== 'all')) return null
    const contentType = contentTypeFor(relPath, originalType)
    return store.presignedGetUrl(hash, relPath, {
      expiresInSeconds: access === 'public' ? PUBLIC_PRESIGN_SECONDS : PRIVATE_PRESIGN_SECONDS,
      contentType,
      contentDisposition: contentDisposition(filename ?? path.posix.basename(relPath), attachment ? 'attachment' : dispositionFor(contentType)),
      cacheControl: cacheControlFor(access),
    })
  }
}
