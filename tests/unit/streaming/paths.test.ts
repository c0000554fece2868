import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors/app-error'
import { isStoredRelPath, resolveStoredFile } from '@/lib/streaming/paths'

const HASH = '0123456789abcdef'.repeat(4)

describe('resolveStoredFile', () => {
  it('maps a known file into the content directory', () => {
    const file = resolveStoredFile(HASH, 'video/720p/seg-00001.m4s', '/data')
    expect(file.absPath).toBe(path.join('/data/content', HASH.slice(0, 2), HASH, 'video/720p/seg-00001.m4s'))
  })

  it.each([
    'original',
    'manifest.mpd',
    'master.m3u8',
    'storyboard.vtt',
    '720p.m3u8',
    'audio_en.m3u8',
    'video/720p/init.mp4',
    'video/720p/chunk-stream0-00001.m4s',
    'audio/128k/seg_1.m4s',
    'thumbs/poster.jpg',
    'thumbs/sprite-0.webp',
  ])('accepts %s', (rel) => {
    expect(isStoredRelPath(rel)).toBe(true)
  })

  it.each([
    '',
    'meta.json',
    'logs/ffmpeg.log',
    '/etc/passwd',
    '../x',
    'video/../original',
    'video/./x.m4s',
    'video/..',
    'video/.hidden.m4s',
    'video/720p/%2e%2e',
    'video%2F720p%2Finit.mp4',
    'video/720p\\init.mp4',
    'video/720p/init.mp4\u0000',
    'video//init.mp4',
    'video/',
    'video',
    'sub/master.m3u8',
    '.m3u8',
    'video/a b.m4s',
    'video/a/b/c/d/e.m4s',
    `video/${'a'.repeat(200)}.m4s`,
  ])('refuses %j', (rel) => {
    expect(isStoredRelPath(rel)).toBe(false)
    expect(() => resolveStoredFile(HASH, rel, '/data')).toThrow(AppError)
  })

  it.each(['', 'ABCDEF'.repeat(11).slice(0, 64), `${HASH}0`, HASH.slice(1), `${'../'.repeat(21)}a`])(
    'refuses the hash %j with NOT_FOUND',
    (hash) => {
      try {
        resolveStoredFile(hash, 'original', '/data')
        expect.unreachable()
      } catch (err) {
        expect(err).toBeInstanceOf(AppError)
        expect((err as AppError).code).toBe('NOT_FOUND')
      }
    },
  )
})
