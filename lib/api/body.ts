import { AppError } from '@/lib/errors'

const tooLarge = (max: number) => new AppError('TOO_LARGE', `The body must not exceed ${max} bytes.`, { maxBytes: max })

/**
 * The body as UTF-8 text, at most `max` bytes: a larger Content-Length is refused before any byte
 * is read, and a body that grows past `max` while streaming (chunked, or a lying length) is cut
 * off there, so memory never holds more than `max`.
 */
export async function readBoundedText(req: Request, max: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? 0)
  if (declared > max) throw tooLarge(max)
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      throw tooLarge(max)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
