import { describe, expect, it } from 'vitest'
import { contentDisposition, contentTypeFor, dispositionFor } from '@/lib/streaming/content-type'

describe('contentTypeFor', () => {
  it('serves an original only with one of our video types; anything else recorded is a download', () => {
    expect(contentTypeFor('original')).toBe('application/octet-stream')
    expect(contentTypeFor('original', 'video/quicktime')).toBe('video/quicktime')
    expect(contentTypeFor('original', 'video/webm')).toBe('video/webm')
    for (const claimed of ['text/html', 'image/svg+xml', 'Video/MP4', 'text/html\r\nSet-Cookie: x=1', 'video/mp4; codecs=avc1', 'application/xhtml+xml']) {
      expect(contentTypeFor('original', claimed)).toBe('application/octet-stream')
    }
    expect(dispositionFor('application/octet-stream')).toBe('attachment')
    expect(dispositionFor('video/mp4')).toBe('inline')
  })

  it('does not let an extension-less name other than original borrow the caller type', () => {
    expect(contentTypeFor('video/720p/init', 'text/html')).toBe('application/octet-stream')
  })
})

describe('contentDisposition', () => {
  it('keeps a plain name as is', () => {
    expect(contentDisposition('seg-1.m4s')).toBe(`inline; filename="seg-1.m4s"; filename*=UTF-8''seg-1.m4s`)
  })

  it('makes an ASCII fallback and encodes the exact name per RFC 5987', () => {
    expect(contentDisposition('Café "déjà" vu (1).mp4')).toBe(
      `inline; filename="Caf_ _d_j__ vu (1).mp4"; filename*=UTF-8''Caf%C3%A9%20%22d%C3%A9j%C3%A0%22%20vu%20%281%29.mp4`,
    )
  })

  it('cannot be used to break the header or name a path', () => {
    const value = contentDisposition('../../evil\r\nX-Injected: 1;\\x.mp4')
    expect(value).not.toMatch(/[\r\n]/)
    expect(value).not.toContain('/')
    expect(value.split('filename=')[1]).not.toContain('\\')
  })

  it('survives an empty name and a lone surrogate', () => {
    expect(contentDisposition('  ')).toBe(`inline; filename="file"; filename*=UTF-8''file`)
    expect(() => contentDisposition('a\uD800b.mp4')).not.toThrow()
  })
})
