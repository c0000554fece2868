import { describe, expect, it } from 'vitest'
import { readEnv } from '@/lib/config/env'
import { s3SettingsFromEnv } from '@/lib/content/store/s3-client'

const S3 = { CONTENT_STORE: 's3', S3_BUCKET: 'videos', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }

describe('content store settings', () => {
  it('defaults to the local store', () => {
    expect(readEnv({}).CONTENT_STORE).toBe('local')
  })

  it('reads the S3 settings, with the prefix normalised and path style as a flag', () => {
    const s = s3SettingsFromEnv(readEnv({ ...S3, S3_PREFIX: '/tenant-a', S3_FORCE_PATH_STYLE: '1' }))
    expect(s).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'videos',
      prefix: 'tenant-a/',
      accessKeyId: 'k',
      secretAccessKey: 's',
      forcePathStyle: true,
    })
  })

  it.each([
    [{ CONTENT_STORE: 's3' }, 'invalid S3_BUCKET: is required when CONTENT_STORE=s3'],
    [{ ...S3, CONTENT_STORE: 'gcs' }, /^invalid CONTENT_STORE: /],
    [{ ...S3, S3_BUCKET: 'Bad_Bucket' }, /^invalid S3_BUCKET: must be an S3 bucket name/],
    [{ ...S3, S3_ENDPOINT: 'ftp://host' }, 'invalid S3_ENDPOINT: must be an http(s) URL'],
    [{ ...S3, S3_PREFIX: 'a b' }, /^invalid S3_PREFIX: /],
    [{ ...S3, S3_SECRET_ACCESS_KEY: undefined }, /^invalid S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/],
    [{ ...S3, S3_FORCE_PATH_STYLE: 'yes' }, /^invalid S3_FORCE_PATH_STYLE: /],
  ])('refuses %o with one line', (source, message) => {
    expect(() => readEnv(source)).toThrow(message)
  })
})
