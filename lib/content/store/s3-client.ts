import { createHash } from 'node:crypto'
import { S3Client } from '@aws-sdk/client-s3'
import { type Env, env } from '@/lib/config/env'
import { normalizePrefix } from './keys'

export interface S3Settings {
  /** Unset: AWS's own endpoint for the region. */
  endpoint?: string
  region: string
  bucket: string
  /** `''` or ending in `/`. */
  prefix: string
  /** Both unset: the SDK's default credential chain (instance roles, AWS_PROFILE, …). */
  accessKeyId?: string
  secretAccessKey?: string
  /** `endpoint/bucket/key` rather than `bucket.endpoint/key`: MinIO, Ceph RGW, Swift. */
  forcePathStyle: boolean
}

export function s3SettingsFromEnv(e: Env = env()): S3Settings {
  if (!e.S3_BUCKET) throw new Error('S3_BUCKET is not set')
  return {
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    prefix: normalizePrefix(e.S3_PREFIX),
    accessKeyId: e.S3_ACCESS_KEY_ID,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    forcePathStyle: e.S3_FORCE_PATH_STYLE === '1',
  }
}

/**
 * An S3 client that works with AWS and with the S3 dialects of R2, MinIO, Ceph RGW and Swift.
 * Checksums only where the API requires them: the SDK's default sends stream bodies aws-chunked
 * with trailing checksums, which Swift answers with 501. DeleteObjects carries Content-MD5
 * (see `contentMd5OnDeleteObjects`).
 */
export function createS3Client(s: S3Settings, opts: { connectionTimeoutMs?: number } = {}): S3Client {
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    credentials: s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Not set by default: the SDK counts the wait for a free pooled socket in it, so a busy
    // client would fail healthy requests.
    requestHandler: opts.connectionTimeoutMs ? { connectionTimeout: opts.connectionTimeoutMs } : undefined,
  })
  contentMd5OnDeleteObjects(client)
  return client
}

const CHECKSUM_HEADER_RE = /^x-amz-(checksum-|sdk-checksum)/i

/**
 * Swift (and older S3 servers) require Content-MD5 on DeleteObjects; the SDK now sends a CRC32
 * header instead. Added at the build step, after the SDK's checksum middleware and before signing
 * (later, at finalizeRequest, it would break the signature).
 */
function contentMd5OnDeleteObjects(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: string | Uint8Array }
      if (context.commandName === 'DeleteObjectsCommand' && request.headers && (typeof request.body === 'string' || request.body instanceof Uint8Array)) {
        for (const name of Object.keys(request.headers)) if (CHECKSUM_HEADER_RE.test(name)) delete request.headers[name]
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64')
      }
      return next(args)
    },
    { step: 'build', name: 'contentMd5OnDeleteObjects', priority: 'low' },
  )
}
