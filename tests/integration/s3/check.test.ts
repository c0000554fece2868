import { describe, expect, inject, it } from 'vitest'
import { checkS3Store } from '@/lib/content/store/check'
import { freePort } from '@/lib/db/embedded'

// The start-up check: a usable bucket passes; each kind of misconfiguration is one clear line.
describe('S3 start-up check', () => {
  const s3 = inject('s3')

  it('passes for the bucket the server created', async () => {
    await expect(checkS3Store(s3)).resolves.toBeUndefined()
  })

  it('names a missing bucket', async () => {
    const err = await checkS3Store({ ...s3, bucket: 'no-such-bucket-here' }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toBe(`S3 bucket "no-such-bucket-here" at ${s3.endpoint} is not reachable: no such bucket`)
  })

  it('names wrong credentials', async () => {
    const err = (await checkS3Store({ ...s3, secretAccessKey: 'wrong-secret' }).catch((e: Error) => e)) as Error
    expect(err.message).toMatch(
      new RegExp(`^S3 bucket "${s3.bucket}" at ${s3.endpoint} is not reachable: access denied .*check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY$`),
    )
    expect(err.message).not.toContain('\n')
  })

  it('names an endpoint where nothing listens', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`
    const err = (await checkS3Store({ ...s3, endpoint }).catch((e: Error) => e)) as Error
    expect(err.message).toBe(`S3 bucket "${s3.bucket}" at ${endpoint} is not reachable: connection refused`)
  })
})
