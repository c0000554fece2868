import { Transform, type TransformCallback } from 'node:stream'

// Commands before media, inside one web process. Node runs range streams and socket.io on one
// event loop, and a saturated loop serves whatever is ready: a command (its socket read, then its
// DB reply) can wait behind dozens of 1 MiB stream writes in the same loop turn. Media chunks
// that pass through mediaPacer() are instead forwarded by a small scheduler that
//   - spends at most SLICE_MS per loop turn on them, then yields (setImmediate), so pending I/O,
//     commands included, is polled at least every few milliseconds;
//   - forwards nothing while a command is in flight (received, not yet broadcast), for at most
//     MAX_HOLD_MS, so the command's DB reply and broadcast get the loop to themselves.
// Media throughput is unchanged when the loop has spare time. Server-only (node:stream); the
// state lives on globalThis because Next bundles route handlers apart from server.ts.

/** Media work per loop turn before yielding to I/O. */
export const SLICE_MS = 4
/** Longest media pause for commands in flight. */
export const MAX_HOLD_MS = 50

interface PriorityState {
  inFlight: number
  queue: (() => void)[]
  /** When the oldest queued chunk was queued (performance.now()), or null. */
  oldest: number | null
  immediate: ReturnType<typeof setImmediate> | null
  holdTimer: ReturnType<typeof setTimeout> | null
}
const KEY = Symbol.for('reelhouse.realtime.priority')
const slot = globalThis as unknown as { [KEY]?: PriorityState }
const state = (): PriorityState => {
  slot[KEY] ??= { inFlight: 0, queue: [], oldest: null, immediate: null, holdTimer: null }
  return slot[KEY]
}

function schedule(s: PriorityState): void {
  if (s.queue.length === 0 || s.immediate) return
  if (s.inFlight > 0) {
    // Held for the command; the timer bounds the pause if commands keep coming.
    if (!s.holdTimer) {
      const waited = performance.now() - (s.oldest ?? performance.now())
      s.holdTimer = setTimeout(() => runSlice(s, true), Math.max(0, MAX_HOLD_MS - waited))
    }
    return
  }
  s.immediate = setImmediate(() => runSlice(s, false))
}

function runSlice(s: PriorityState, overdue: boolean): void {
  s.immediate = null
  if (s.holdTimer) clearTimeout(s.holdTimer)
  s.holdTimer = null
  if (s.inFlight > 0 && !overdue) {
    schedule(s)
    return
  }
  const end = performance.now() + SLICE_MS
  do s.queue.shift()?.()
  while (s.queue.length > 0 && performance.now() < end)
  s.oldest = s.queue.length > 0 ? performance.now() : null
  schedule(s)
}

/** Queues a media step (forwarding a chunk); it runs in a later slice, commands first. */
export function enqueueMedia(step: () => void): void {
  const s = state()
  s.queue.push(step)
  s.oldest ??= performance.now()
  schedule(s)
}

/** Marks a command as in flight; call the returned function (once) when it is broadcast or failed. */
export function commandStarted(): () => void {
  const s = state()
  s.inFlight++
  let done = false
  return () => {
    if (done) return
    done = true
    s.inFlight--
    if (s.inFlight === 0) {
      if (s.holdTimer) clearTimeout(s.holdTimer)
      s.holdTimer = null
      schedule(s)
    }
  }
}

/** Runs fn as an in-flight command (REST command routes wrap applyCommand + publishCommand in this). */
export async function withCommandPriority<T>(fn: () => Promise<T>): Promise<T> {
  const done = commandStarted()
  try {
    return await fn()
  } finally {
    done()
  }
}

export const commandsInFlight = (): number => state().inFlight
export const mediaQueued = (): number => state().queue.length

/**
 * A pass-through for media streams: `pipeline(fileStream, mediaPacer(), res)`. Chunks go through
 * untouched, forwarded by the scheduler above, so range streaming never delays commands by more
 * than a slice.
 */
export function mediaPacer(): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      // A client that went away while the chunk waited needs nothing more.
      enqueueMedia(() => {
        if (!this.destroyed) cb(null, chunk)
      })
    },
  })
}
