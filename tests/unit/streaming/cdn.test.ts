import { describe, expect, it } from 'vitest'
import { readEnv } from '@/lib/config/env'
import { remoteLivePath } from '@/lib/content/layout'
import { cdnContentBase } from '@/lib/streaming/cdn'

const HASH = 'ab'.repeat(32)
const s3 = { CONTENT_STORE: 's3', S3_BUCKET: 'media' }

describe('CDN URLs of public stored content', () => {
  it('are the object keys under CDN_BASE_URL, S3_PREFIX included, however the base ends', () => {
    expect(cdnContentBase(HASH, readEnv({ ...s3, CDN_BASE_URL: 'https://cdn.example.com/' }))).toBe(`https://cdn.example.com/${HASH}`)
    expect(cdnContentBase(HASH, readEnv({ ...s3, CDN_BASE_URL: 'https://cdn.example.com/m', S3_PREFIX: '/videos/' }))).toBe(
      `https://cdn.example.com/m/videos/${HASH}`,
    )
  })

  it('do not exist without a CDN, or with content on local disk', () => {
    expect(cdnContentBase(HASH, readEnv(s3))).toBeNull()
    expect(cdnContentBase(HASH, readEnv({ CDN_BASE_URL: 'https://cdn.example.com' }))).toBeNull()
  })

  it('refuse a CDN_BASE_URL that is not http(s)', () => {
    expect(() => readEnv({ ...s3, CDN_BASE_URL: 'ftp://cdn.example.com' })).toThrow(/CDN_BASE_URL/)
  })
})

describe('where a running encode’s files live in a remote store', () => {
  it('segments at their final names, growing playlists under .partial/', () => {
    expect(remoteLivePath('.partial/streams/0/seg-00001.m4s')).toBe('streams/0/seg-00001.m4s')
    expect(remoteLivePath('.partial/streams/1/init.m4s')).toBe('streams/1/init.m4s')
    expect(remoteLivePath('.partial/media_0.m3u8')).toBe('.partial/media_0.m3u8')
    expect(remoteLivePath('.partial/master.m3u8')).toBe('.partial/master.m3u8')
    expect(remoteLivePath('master.m3u8')).toBe('master.m3u8')
  })
})
