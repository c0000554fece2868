import { randomBytes } from 'node:crypto'
import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3'
import { createS3Client, type S3Settings } from './s3-client'

const WRITE_CHECK_DIR = '.reelhouse-write-check'

/** Why a call failed, in words an operator can act on. */
function reason(err: unknown): string {
  if (err instanceof S3ServiceException) {
    const status = err.$metadata.httpStatusCode
    if (status === 404 || err.name === 'NoSuchBucket') return 'no such bucket'
    if (status === 403 || status === 401)
      return `access denied (${err.name === 'Forbidden' || err.name === 'Unknown' ? `HTTP ${status}` : err.name}): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY`
    if (status === 301 || err.name === 'PermanentRedirect') return 'the bucket is in another region (check S3_REGION)'
    return `${err.name}${status ? ` (HTTP ${status})` : ''}`
  }
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException }
  const code = e.code ?? e.cause?.code
  if (code === 'ECONNREFUSED') return 'connection refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
  return e.message?.split('\n')[0] ?? String(err)
}

/**
 * Start-up check of an S3 store: the bucket answers, and an object can be written and deleted
 * under S3_PREFIX. Throws one line naming the bucket, the endpoint and the cause.
 */
export async function checkS3Store(s: S3Settings): Promise<void> {
  // An unreachable endpoint fails in seconds, not at the OS's connect timeout.
  const client = createS3Client(s, { connectionTimeoutMs: 5000 })
  const where = `S3 bucket "${s.bucket}" at ${s.endpoint ?? `AWS ${s.region}`}`
  try {
    await client.send(new HeadBucketCommand({ Bucket: s.bucket })).catch((err) => {
      throw new Error(`${where} is not reachable: ${reason(err)}`)
    })
    const Key = `${s.prefix}${WRITE_CHECK_DIR}/${randomBytes(8).toString('hex')}`
    await client.send(new PutObjectCommand({ Bucket: s.bucket, Key, Body: 'ok' })).catch((err) => {
      throw new Error(`${where} is not writable: ${reason(err)}`)
    })
    await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key })).catch((err) => {
      throw new Error(`${where} does not let us delete: ${reason(err)}`)
    })
  } finally {
    client.destroy()
  }
}
