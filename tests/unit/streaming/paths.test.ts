import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors/app-error'
import { isStoredRelPath, resolveStoredFile } from '@/lib/streaming/paths'

const HASH = '0123456789abcdef'.repeat(4)

describe('resolveStoredFile', () => {
  it('maps a known file into the content directory', () => {
    const file = resolveStoredFile(HASH, 'streams/0/seg-00001.m4s', '/data')
    expect(file.absPath).toBe(path.join('/data/content', HASH.slice(0, 2), HASH, 'streams/0/seg-00001.m4s'))
  })

  // Exactly what the pipeline writes (and the upload itself).
  it.each([
    'original',
    'manifest.mpd',
    'master.m3u8',
    'media_0.m3u8',
    'media_12.m3u8',
    'streams/0/init.m4s',
    'streams/3/seg-00001.m4s',
    'streams/3/seg-123456.m4s',
    'thumbs/poster.jpg',
    'thumbs/thumb-01.jpg',
    'thumbs/storyboard.jpg',
    'thumbs/storyboard.vtt',
    '.partial/master.m3u8',
    '.partial/media_1.m3u8',
    '.partial/streams/1/init.m4s',
    '.partial/streams/1/seg-00002.m4s',
  ])('accepts %s', (rel) => {
    expect(isStoredRelPath(rel)).toBe(true)
  })

  it.each([
    '',
    'meta.json',
    'logs/ffmpeg.log',
    '/etc/passwd',
    '../x',
    // trees and names the pipeline never writes
    'video/720p/init.mp4',
    'audio/128k/seg_1.m4s',
    'storyboard.vtt',
    '720p.m3u8',
    'thumbs/sprite-0.webp',
    'streams/0/init.mp4',
    'streams/0/seg-1.m4s',
    'streams/a/init.m4s',
    'streams/0/extra/seg-00001.m4s',
    // the work directory holds manifests and segments only
    '.partial/original',
    '.partial/thumbs/poster.jpg',
    '.partial/logs/ffmpeg.log',
    '.partial/.partial/master.m3u8',
    '.thumbs.partial/poster.jpg',
    // traversal and encoding tricks
    'streams/0/../../original',
    'streams/./0/init.m4s',
    'streams/..',
    'streams/0/.seg-00002.m4s.tmp',
    'streams/0/seg-00001.m4s.tmp',
    'streams/0/%2e%2e',
    'streams%2F0%2Finit.m4s',
    'streams/0\\init.m4s',
    'streams/0/init.m4s\u0000',
    'streams//0/init.m4s',
    'streams/',
    'streams',
    'sub/master.m3u8',
    '.m3u8',
    'media_ 1.m3u8',
    `media_${'1'.repeat(200)}.m3u8`,
  ])('refuses %j', (rel) => {
    expect(isStoredRelPath(rel)).toBe(false)
    expect(() => resolveStoredFile(HASH, rel, '/data')).toThrow(AppError)
  })

  it.each(['', 'ABCDEF'.repeat(11).slice(0, 64), `${HASH}0`, HASH.slice(1), `${'../'.repeat(21)}a`])('refuses the hash %j with NOT_FOUND', (hash) => {
    try {
      resolveStoredFile(hash, 'original', '/data')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('NOT_FOUND')
    }
  })
})
