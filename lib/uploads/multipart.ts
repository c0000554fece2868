import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import busboy from 'busboy'
import { tempDir, writeHashed } from '@/lib/content/store'
import { AppError } from '@/lib/errors'

export interface ReceivedFile {
  tempPath: string
  hash: string
  size: number
  filename: string
  fields: Record<string, string>
}

/**
 * Streams a multipart/form-data body to disk while hashing the `file` part. Next's
 * request.formData() would buffer the whole body in memory; this never holds more than a chunk.
 */
export async function receiveMultipart(req: Request, maxBytes: number): Promise<ReceivedFile> {
  const type = req.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError('UNSUPPORTED_MEDIA', 'Send multipart/form-data with a "file" part (or use the tus endpoint).')
  }
  if (!req.body) throw new AppError('BAD_REQUEST', 'The body is empty.')
  const declared = Number(req.headers.get('content-length') ?? 0)
  if (declared > maxBytes + 64 * 1024) throw new AppError('TOO_LARGE', `Uploads are limited to ${maxBytes} bytes.`)

  const tempPath = path.join(tempDir(), `upload-${randomUUID()}`)
  const fields: Record<string, string> = {}
  let file: Promise<Omit<ReceivedFile, 'fields' | 'tempPath'>> | null = null
  const parser = multipartParser(type)
  parser.on('field', (name, value) => {
    fields[name] = value
  })
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || file) {
      stream.resume()
      return
    }
    const writing = writeHashed(stream, tempPath, maxBytes).then((r) => ({ ...r, filename: info.filename ?? 'upload' }))
    writing.catch(() => stream.resume())
    file = writing
  })
  try {
    await new Promise<void>((resolve, reject) => {
      parser.once('close', resolve)
      parser.once('error', reject)
      const body = Readable.fromWeb(req.body as import('node:stream/web').ReadableStream)
      body.once('error', reject)
      body.pipe(parser)
    })
    if (!file) throw new AppError('INVALID_INPUT', 'The form has no "file" part.', { errors: [{ path: 'file', message: 'required' }] })
    const received = await (file as Promise<Omit<ReceivedFile, 'fields' | 'tempPath'>>)
    if (received.size === 0) throw new AppError('INVALID_INPUT', 'The file is empty.', { errors: [{ path: 'file', message: 'empty' }] })
    return { ...received, tempPath, fields }
  } catch (err) {
    await rm(tempPath, { force: true })
    if (err instanceof Error && err.message === 'TOO_LARGE') throw new AppError('TOO_LARGE', `Uploads are limited to ${maxBytes} bytes.`)
    if (err instanceof AppError) throw err
    throw new AppError('BAD_REQUEST', `The upload was interrupted or malformed: ${(err as Error).message}`)
  }
}

// busboy throws from its constructor on a bad header (no boundary, say): that is the client's mistake.
function multipartParser(contentType: string) {
  try {
    return busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } })
  } catch (err) {
    throw new AppError('BAD_REQUEST', `The multipart/form-data header is malformed: ${(err as Error).message}.`)
  }
}

export interface SmallFile {
  bytes: Buffer
  filename: string
  fields: Record<string, string>
}

/**
 * A multipart/form-data body whose `file` part is small enough to hold in memory (caption files):
 * past `maxBytes` the read stops with TOO_LARGE, and nothing touches the disk.
 */
export async function receiveSmallFile(req: Request, maxBytes: number): Promise<SmallFile> {
  const type = req.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data')) throw new AppError('UNSUPPORTED_MEDIA', 'Send multipart/form-data with a "file" part.')
  if (!req.body) throw new AppError('BAD_REQUEST', 'The body is empty.')
  const tooLarge = () => new AppError('TOO_LARGE', `The file is limited to ${maxBytes} bytes.`)
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes + 64 * 1024) throw tooLarge()
  const parser = busboyWithFileLimit(type, maxBytes)
  const fields: Record<string, string> = {}
  let file: { chunks: Buffer[]; filename: string; truncated: boolean } | null = null
  parser.on('field', (name, value) => {
    fields[name] = value
  })
  parser.on('file', (name, stream, info) => {
    if (name !== 'file' || file) {
      stream.resume()
      return
    }
    const got = { chunks: [] as Buffer[], filename: info.filename ?? 'file', truncated: false }
    file = got
    stream.on('data', (c: Buffer) => got.chunks.push(c))
    stream.on('limit', () => {
      got.truncated = true
    })
  })
  try {
    await new Promise<void>((resolve, reject) => {
      parser.once('close', resolve)
      parser.once('error', reject)
      const body = Readable.fromWeb(req.body as import('node:stream/web').ReadableStream)
      body.once('error', reject)
      body.pipe(parser)
    })
  } catch (err) {
    throw new AppError('BAD_REQUEST', `The form was interrupted or malformed: ${(err as Error).message}`)
  }
  const got = file as { chunks: Buffer[]; filename: string; truncated: boolean } | null
  if (!got) throw new AppError('INVALID_INPUT', 'The form has no "file" part.', { errors: [{ path: 'file', message: 'required' }] })
  if (got.truncated) throw tooLarge()
  const bytes = Buffer.concat(got.chunks)
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', 'The file is empty.', { errors: [{ path: 'file', message: 'empty' }] })
  return { bytes, filename: got.filename, fields }
}

function busboyWithFileLimit(contentType: string, fileSize: number) {
  try {
    return busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize } })
  } catch (err) {
    throw new AppError('BAD_REQUEST', `The multipart/form-data header is malformed: ${(err as Error).message}.`)
  }
}
