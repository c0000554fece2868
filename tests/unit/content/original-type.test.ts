import { describe, expect, it } from 'vitest'
import { originalTypeOf } from '@/lib/content/original-type'

const box = (type: string, body: Buffer) => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(8 + body.length, 0)
  head.write(type, 4, 'latin1')
  return Buffer.concat([head, body])
}
const ftyp = (brand: string) => box('ftyp', Buffer.concat([Buffer.from(brand, 'latin1'), Buffer.alloc(4), Buffer.from(`${brand}isom`, 'latin1')]))
// EBML header with a DocType element (0x4282, one-byte size).
const ebml = (docType: string) =>
  Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x80 | docType.length]), Buffer.from(docType), Buffer.alloc(16)])

describe('originalTypeOf', () => {
  it('names accepted containers by their video type, from the bytes alone', () => {
    expect(originalTypeOf(Buffer.concat([ftyp('isom'), box('free', Buffer.alloc(8))]))).toBe('video/mp4')
    expect(originalTypeOf(Buffer.concat([ftyp('qt  '), box('free', Buffer.alloc(8))]))).toBe('video/quicktime')
    expect(originalTypeOf(Buffer.concat([box('wide', Buffer.alloc(0)), box('mdat', Buffer.alloc(16))]))).toBe('video/quicktime')
    expect(originalTypeOf(ebml('webm'))).toBe('video/webm')
    expect(originalTypeOf(ebml('matroska'))).toBe('video/x-matroska')
  })

  it('never yields a document type: HTML, SVG, playlists and unknown bytes are application/octet-stream', () => {
    for (const text of [
      '<!doctype html><script>alert(1)</script>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      '<?xml version="1.0"?><svg/>',
      '#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n',
      'just some text that is long enough',
    ]) {
      expect(originalTypeOf(Buffer.from(text))).toBe('application/octet-stream')
    }
    expect(originalTypeOf(Buffer.alloc(0))).toBe('application/octet-stream')
  })
})
