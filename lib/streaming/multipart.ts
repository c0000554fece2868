import { Readable } from 'node:stream'
import type { ByteRange } from '@/lib/streaming/ranges'

export interface MultipartInput {
  /** Opens the bytes of one range (inclusive positions). */
  slice(start: number, end: number): Readable
  ranges: ByteRange[]
  size: number
  contentType: string
  boundary: string
}

export interface MultipartBody {
  boundary: string
  /** Exact byte length of the body, known before any byte is read. */
  length: number
  body: Readable
}

/** RFC 9110 §14.6 multipart/byteranges; parts are read one after another, one open descriptor at a time. */
export function multipartByteranges(input: MultipartInput): MultipartBody {
  const heads = input.ranges.map((r, i) =>
    Buffer.from(
      `${i === 0 ? '' : '\r\n'}--${input.boundary}\r\n` +
        `Content-Type: ${input.contentType}\r\n` +
        `Content-Range: bytes ${r.start}-${r.end}/${input.size}\r\n\r\n`,
      'latin1',
    ),
  )
  const tail = Buffer.from(`\r\n--${input.boundary}--\r\n`, 'latin1')
  const length = heads.reduce((n, h) => n + h.length, 0) + input.ranges.reduce((n, r) => n + r.end - r.start + 1, 0) + tail.length

  async function* parts(): AsyncGenerator<Buffer> {
    for (const [i, r] of input.ranges.entries()) {
      yield heads[i]
      // Leaving this loop early (client gone) destroys the part's stream, which closes its descriptor.
      yield* input.slice(r.start, r.end)
    }
    yield tail
  }

  return { boundary: input.boundary, length, body: Readable.from(parts(), { objectMode: false }) }
}
