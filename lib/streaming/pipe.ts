import { type FileHandle, open } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { log } from '@/lib/log'
import { BufferPool } from '@/lib/streaming/buffer-pool'
import { FileSliceStream } from '@/lib/streaming/file-slice'
import { ReadLanes } from '@/lib/streaming/read-lanes'
import type { FileResponse } from '@/lib/streaming/serve-file'

/** Bytes per file read, and the one buffer a response holds while its write is pending. Chosen by bench/range. */
export const READ_PIECE_BYTES = 256 * 1024
/** Piece size once full pieces in flight reach the budget: many clients then share the memory. */
export const SMALL_READ_PIECE_BYTES = 32 * 1024
/** Most bytes lent out as full pieces at once (and most kept idle for reuse). */
export const READ_BUFFER_BUDGET_BYTES = 16 * 1024 * 1024
/** File reads in flight at once; the default libuv pool has 4 threads, one stays free for stat/open and others. */
export const MAX_READS_IN_FLIGHT = 3
/** A stalled client always gets at least this long to start draining again. */
export const STALL_FLOOR_MS = 2000
/** Slowest drain rate we wait for: a client that takes longer than floor + pending/rate to flush is dropped. */
export const MIN_CLIENT_BYTES_PER_SECOND = 64 * 1024

export interface StallPolicy {
  floorMs: number
  minBytesPerSecond: number
}

export const DEFAULT_STALL_POLICY: StallPolicy = {
  floorMs: STALL_FLOOR_MS,
  minBytesPerSecond: MIN_CLIENT_BYTES_PER_SECOND,
}

/** How long a client may leave `pendingBytes` unread before we drop it: the floor plus their time at the minimum rate. */
export function stallTimeoutMs(pendingBytes: number, policy: StallPolicy = DEFAULT_STALL_POLICY): number {
  return policy.floorMs + Math.ceil((pendingBytes * 1000) / policy.minBytesPerSecond)
}

export type SendOutcome = 'complete' | 'aborted' | 'stalled' | 'failed'

const streamLog = log.child({ c: 'streaming' })
const readBuffers = new BufferPool(READ_BUFFER_BUDGET_BYTES)
const readLanes = new ReadLanes(MAX_READS_IN_FLIGHT)

/** Read-buffer bytes lent to responses right now and kept idle for reuse (for metrics and leak checks). */
export function readBufferStats(): { lentBytes: number; idleBytes: number } {
  return { lentBytes: readBuffers.lentBytes, idleBytes: readBuffers.idleByteCount }
}

/**
 * Writes a `serveFile` result to a Node response with backpressure: one read piece per response in
 * memory, a client that stops reading dropped after `stallTimeoutMs`, and the file closed as soon as
 * the response ends, aborts or stalls. Resolves when it is all over.
 */
export async function sendFileResponse(
  res: ServerResponse,
  result: FileResponse,
  policy: StallPolicy = DEFAULT_STALL_POLICY,
): Promise<SendOutcome> {
  const body = result.body
  if (res.destroyed) {
    body?.destroy()
    return 'aborted'
  }
  res.writeHead(result.status, result.headers)
  if (body === null) {
    res.end()
    return 'complete'
  }
  if (body instanceof FileSliceStream) {
    // Never read as a Readable, so it never opened the file: we stream the slice ourselves.
    body.destroy()
    return pumpSlice(res, body, policy)
  }
  return pipeWithStallGuard(res, body, policy)
}

/** Resolves true once `chunk` is handed to the kernel, false if the response closed first (aborted or stalled). */
function writePiece(res: ServerResponse, chunk: Buffer, policy: StallPolicy, onStall: () => void): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false
    const timer = setTimeout(() => {
      onStall()
      res.destroy()
    }, stallTimeoutMs(res.writableLength + chunk.length, policy))
    const settle = (flushed: boolean): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      res.off('close', onClose)
      resolve(flushed)
    }
    const onClose = (): void => settle(false)
    res.once('close', onClose)
    // On destroy Node may run pending write callbacks without an error: destroyed means not flushed.
    res.write(chunk, (err) => settle(!err && !res.destroyed))
  })
}

async function pumpSlice(res: ServerResponse, slice: FileSliceStream, policy: StallPolicy): Promise<SendOutcome> {
  let stalled = false
  const onStall = (): void => {
    stalled = true
  }
  let handle: FileHandle
  try {
    handle = await open(slice.filePath, 'r')
  } catch (err) {
    streamLog.warn({ err }, 'file vanished before streaming')
    res.destroy()
    return 'failed'
  }
  try {
    for (let pos = slice.start; pos <= slice.end; ) {
      const buf = readBuffers.take(slice.pieceSize, SMALL_READ_PIECE_BYTES)
      let flushed = false
      try {
        const release = await readLanes.acquire(pos === slice.start)
        const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, slice.end - pos + 1), pos).finally(release)
        if (res.destroyed) return 'aborted'
        if (bytesRead === 0) throw new Error(`${slice.filePath} ended before byte ${slice.end}`)
        pos += bytesRead
        flushed = await writePiece(res, buf.subarray(0, bytesRead), policy, onStall)
        if (!flushed) {
          if (stalled) streamLog.debug({ file: slice.filePath, pos }, 'dropped a client that stopped reading')
          return stalled ? 'stalled' : 'aborted'
        }
      } finally {
        // A buffer whose write never completed may still be queued in the socket: counted out, never reused.
        if (flushed) readBuffers.give(buf)
        else readBuffers.forget(buf)
      }
    }
    res.end()
    return 'complete'
  } catch (err) {
    streamLog.warn({ err }, 'file stream failed')
    res.destroy()
    return 'failed'
  } finally {
    await handle.close()
  }
}

/** Generic bodies (multipart): stream.pipeline with the same stall rule, armed whenever the response needs draining. */
async function pipeWithStallGuard(res: ServerResponse, body: Readable, policy: StallPolicy): Promise<SendOutcome> {
  let stalled = false
  let timer: NodeJS.Timeout | undefined
  const disarm = (): void => {
    clearTimeout(timer)
    timer = undefined
  }
  const armIfBlocked = (): void => {
    if (timer !== undefined || !res.writableNeedDrain) return
    timer = setTimeout(() => {
      stalled = true
      res.destroy()
    }, stallTimeoutMs(res.writableLength, policy))
  }
  // Checked after the pipe has written the chunk, whatever order the listeners run in.
  const onData = (): void => queueMicrotask(armIfBlocked)
  res.on('drain', disarm)
  const done = pipeline(body, res)
  body.on('data', onData)
  try {
    await done
    return 'complete'
  } catch (err) {
    if (stalled) return 'stalled'
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return 'aborted'
    streamLog.warn({ err }, 'file stream failed')
    return 'failed'
  } finally {
    disarm()
    body.off('data', onData)
    res.off('drain', disarm)
  }
}

/**
 * The same result as a Web `Response` for a Next route handler (dev fallback). Reads are pulled one
 * piece at a time, and a cancelled response destroys the file stream. Next recomputes framing there and
 * drops our Content-Length (chunked instead), and no stall timeout applies: prefer `sendFileResponse`.
 */
export function toWebResponse(result: FileResponse): Response {
  const body = result.body
  if (body === null) return new Response(null, { status: result.status, headers: result.headers })
  const pieces = body[Symbol.asyncIterator]()
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value as Uint8Array)
    },
    async cancel() {
      await pieces.return?.()
    },
  })
  return new Response(stream, { status: result.status, headers: result.headers })
}
