import { type FileHandle, open } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { performance } from 'node:perf_hooks'
import { log } from '@/lib/log'
import { BufferPool } from '@/lib/streaming/buffer-pool'
import { FileSliceStream } from '@/lib/streaming/file-slice'
import { ReadLanes } from '@/lib/streaming/read-lanes'
import type { FileResponse } from '@/lib/streaming/serve-file'

/** Bytes per file read, and the one buffer a response holds while its write is pending. Chosen by bench/range. */
export const READ_PIECE_BYTES = 256 * 1024
/** Piece size once full pieces in flight reach the budget (many clients then share the memory), and for slow clients. */
export const SMALL_READ_PIECE_BYTES = 32 * 1024
/**
 * Most bytes lent out as full pieces at once (and most kept idle for reuse). 8 MiB still gives 16
 * fast clients a full piece each; twice that cost bench/range's 200 paused viewers ~7 MiB more RSS.
 */
export const READ_BUFFER_BUDGET_BYTES = 8 * 1024 * 1024
/** File reads in flight at once; the default libuv pool has 4 threads, one stays free for stat/open and others. */
export const MAX_READS_IN_FLIGHT = 3
/** A client that accepts no bytes for this long is dropped, like nginx's `send_timeout`. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000
/** Every write may take at least this long before its client counts as slow. */
export const SLOW_WRITE_FLOOR_MS = 2000
/** Slowest drain rate of a healthy reader: a write that takes longer than floor + pending/rate marks its client slow. */
export const MIN_CLIENT_BYTES_PER_SECOND = 64 * 1024

export interface DeliveryPolicy {
  idleTimeoutMs: number
  slowWriteFloorMs: number
  minBytesPerSecond: number
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
  slowWriteFloorMs: SLOW_WRITE_FLOOR_MS,
  minBytesPerSecond: MIN_CLIENT_BYTES_PER_SECOND,
}

/**
 * How long one write of `pendingBytes` may stay queued in our memory before its client counts as
 * slow (paused, or a player whose buffer is full). A slow client is never dropped for it: its next
 * pieces are small, so it holds little of the shared read budget until it drains quickly again.
 */
export function slowWriteMs(pendingBytes: number, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): number {
  return policy.slowWriteFloorMs + Math.ceil((pendingBytes * 1000) / policy.minBytesPerSecond)
}

/** `stalled`: the client accepted no bytes for the idle timeout and was dropped. */
export type SendOutcome = 'complete' | 'aborted' | 'stalled' | 'failed'

const streamLog = log.child({ c: 'streaming' })
const readBuffers = new BufferPool(READ_BUFFER_BUDGET_BYTES)
const readLanes = new ReadLanes(MAX_READS_IN_FLIGHT)

/** Read-buffer bytes lent to responses right now and kept idle for reuse (for metrics and leak checks). */
export function readBufferStats(): { lentBytes: number; idleBytes: number } {
  return { lentBytes: readBuffers.lentBytes, idleBytes: readBuffers.idleByteCount }
}

/**
 * Writes a `serveFile` result to a Node response with backpressure: at most one read piece per
 * response in memory, a client that accepts no bytes for `idleTimeoutMs` dropped, and the file
 * closed as soon as the response ends, aborts or is dropped. Resolves when it is all over.
 */
export async function sendFileResponse(res: ServerResponse, result: FileResponse, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): Promise<SendOutcome> {
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
  const idle = watchIdle(res, policy.idleTimeoutMs)
  try {
    if (body instanceof FileSliceStream) {
      // Never read as a Readable, so it never opened the file: we stream the slice ourselves.
      body.destroy()
      return await pumpSlice(res, body, policy, idle)
    }
    return await pipeGeneric(res, body, idle)
  } finally {
    idle.stop()
  }
}

interface IdleWatch {
  readonly fired: boolean
  stop(): void
}

/**
 * Drops the client once its socket has moved no bytes for `timeoutMs`. Node's socket timeout is
 * refreshed by every write and, while a write is pending, by every byte the kernel takes from it,
 * so a paused or slow reader whose socket still drains is kept. The timeout stays armed after
 * `stop` (then Node's own handler destroys an idle socket), so the last piece draining is covered
 * too, until the server's keep-alive timeout replaces it.
 */
function watchIdle(res: ServerResponse, timeoutMs: number): IdleWatch {
  let fired = false
  const onTimeout = (): void => {
    fired = true
    res.destroy()
  }
  res.setTimeout(timeoutMs, onTimeout)
  return {
    get fired() {
      return fired
    },
    stop: () => res.off('timeout', onTimeout),
  }
}

/** Resolves true once `chunk` is handed to the kernel, false if the response closed first (aborted or dropped). */
function writePiece(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false
    const settle = (flushed: boolean): void => {
      if (settled) return
      settled = true
      res.off('close', onClose)
      resolve(flushed)
    }
    const onClose = (): void => settle(false)
    res.once('close', onClose)
    // On destroy Node may run pending write callbacks without an error: destroyed means not flushed.
    res.write(chunk, (err) => settle(!err && !res.destroyed))
  })
}

async function pumpSlice(res: ServerResponse, slice: FileSliceStream, policy: DeliveryPolicy, idle: IdleWatch): Promise<SendOutcome> {
  let handle: FileHandle
  try {
    handle = await open(slice.filePath, 'r')
  } catch (err) {
    streamLog.warn({ err }, 'file vanished before streaming')
    res.destroy()
    return 'failed'
  }
  const smallPiece = Math.min(slice.pieceSize, SMALL_READ_PIECE_BYTES)
  let slow = false
  try {
    for (let pos = slice.start; pos <= slice.end; ) {
      const buf = readBuffers.take(slow ? smallPiece : slice.pieceSize, smallPiece)
      let flushed = false
      try {
        const release = await readLanes.acquire(pos === slice.start)
        const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, slice.end - pos + 1), pos).finally(release)
        if (res.destroyed) return idle.fired ? 'stalled' : 'aborted'
        if (bytesRead === 0) throw new Error(`${slice.filePath} ended before byte ${slice.end}`)
        pos += bytesRead
        const pending = res.writableLength + bytesRead
        const began = performance.now()
        flushed = await writePiece(res, buf.subarray(0, bytesRead))
        if (!flushed) {
          if (idle.fired) streamLog.debug({ file: slice.filePath, pos }, 'dropped a client that accepted no bytes')
          return idle.fired ? 'stalled' : 'aborted'
        }
        slow = performance.now() - began > slowWriteMs(pending, policy)
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

/** Generic bodies (multipart): stream.pipeline keeps backpressure; the idle watch drops a client that takes nothing. */
async function pipeGeneric(res: ServerResponse, body: Readable, idle: IdleWatch): Promise<SendOutcome> {
  try {
    await pipeline(body, res)
    return 'complete'
  } catch (err) {
    if (idle.fired) return 'stalled'
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return 'aborted'
    streamLog.warn({ err }, 'file stream failed')
    return 'failed'
  }
}

/**
 * The same result as a Web `Response` for a Next route handler (dev fallback). Reads are pulled one
 * piece at a time, and a cancelled response destroys the file stream. Next recomputes framing there and
 * drops our Content-Length (chunked instead), and no idle timeout applies: prefer `sendFileResponse`.
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
