import { type Env, env } from '@/lib/config/env'
import { hashKeyPrefix } from '@/lib/content/store/keys'

/**
 * URL prefix of a content's files on the CDN in front of the bucket (its paths are the object
 * keys), or null without one. Only for public stored content: everything under it is immutable.
 */
export function cdnContentBase(hash: string, e: Env = env()): string | null {
  if (e.CONTENT_STORE !== 's3' || !e.CDN_BASE_URL) return null
  return `${e.CDN_BASE_URL}/${hashKeyPrefix(e.S3_PREFIX, hash).replace(/\/$/, '')}`
}
