import { describe, expect, it } from 'vitest'
import { contentDisposition, contentTypeFor } from '@/lib/streaming/content-type'

describe('contentTypeFor', () => {
  it('takes the original type from the caller, refusing anything that is not a bare MIME', () => {
    expect(contentTypeFor('original')).toBe('application/octet-stream')
    expect(contentTypeFor('original', 'video/quicktime')).toBe('video/quicktime')
    expect(contentTypeFor('original', 'Video/MP4')).toBe('video/mp4')
    expect(contentTypeFor('original', 'text/html\r\nSet-Cookie: x=1')).toBe('application/octet-stream')
    expect(contentTypeFor('original', 'video/mp4; codecs=avc1')).toBe('application/octet-stream')
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
