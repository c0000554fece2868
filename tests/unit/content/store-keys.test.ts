import { describe, expect, it } from 'vitest'
import { hashKeyPrefix, normalizePrefix, objectKey } from '@/lib/content/store/keys'
import { resolveRange } from '@/lib/content/store/local'
import { UnsatisfiableRangeError } from '@/lib/content/store/types'

const HASH = 'ab'.repeat(32)

describe('object keys', () => {
  it('puts every file of a content under <prefix><hash>/', () => {
    expect(objectKey('', HASH, 'original')).toBe(`${HASH}/original`)
    expect(objectKey('videos/', HASH, 'streams/0/seg-0-00001.m4s')).toBe(`videos/${HASH}/streams/0/seg-0-00001.m4s`)
    expect(hashKeyPrefix('a/b', HASH)).toBe(`a/b/${HASH}/`)
    // A running encode's growing playlists: the one dot-name, and only first.
    expect(objectKey('', HASH, '.partial/master.m3u8')).toBe(`${HASH}/.partial/master.m3u8`)
    for (const bad of ['.partial', '.partial/', 'streams/.partial/x']) expect(() => objectKey('', HASH, bad), bad).toThrow(/not a stored file name/)
  })

  it('reads S3_PREFIX however it was written', () => {
    for (const p of ['', '/', '//']) expect(normalizePrefix(p)).toBe('')
    for (const p of ['videos', 'videos/', '/videos/', 'videos//']) expect(normalizePrefix(p)).toBe('videos/')
  })

  it('refuses names that could climb out of the hash, and non-hashes', () => {
    for (const bad of ['', '..', '../original', 'a/../b', './a', '/a', 'a/', 'a//b', 'a b', 'a\\b', '.hidden']) {
      expect(() => objectKey('', HASH, bad), bad).toThrow(/not a stored file name/)
    }
    expect(() => objectKey('', 'AB'.repeat(32), 'original')).toThrow(/not a content hash/)
    expect(() => objectKey('', '../x', 'original')).toThrow(/not a content hash/)
  })
})

describe('resolveRange (RFC 9110 §14.1.2)', () => {
  it('resolves whole, bounded, clipped and suffix ranges', () => {
    expect(resolveRange(undefined, 1000)).toEqual({ start: 0, end: 999 })
    expect(resolveRange({ start: 100, end: 199 }, 1000)).toEqual({ start: 100, end: 199 })
    expect(resolveRange({ start: 990, end: 5000 }, 1000)).toEqual({ start: 990, end: 999 })
    expect(resolveRange({ suffix: 100 }, 1000)).toEqual({ start: 900, end: 999 })
    expect(resolveRange({ suffix: 5000 }, 1000)).toEqual({ start: 0, end: 999 })
  })

  it('refuses a start at or past the end', () => {
    expect(() => resolveRange({ start: 1000, end: 1001 }, 1000)).toThrow(UnsatisfiableRangeError)
  })
})
