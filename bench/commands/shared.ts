// Messages between the bench orchestrator (run.ts) and its child processes, and small stats helpers.

export type ToServer = { type: 'lag.reset' } | { type: 'lag.read' } | { type: 'stop' }
export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'lag'; p50: number; p99: number; max: number; streamsOpen: number; cpuMs: number; broadcast: number[] }

export type ToPlayers = { type: 'start'; url: string; token: string; roomId: string; count: number } | { type: 'collect' } | { type: 'stop' }
export type FromPlayers =
  | { type: 'ready'; connected: number }
  | {
      type: 'samples'
      /** Per delivered command: its seq, the player's receive time and the event's serverTime (wall ms). */
      seqs: number[]
      recvAt: number[]
      serverTime: number[]
      outOfOrder: number
      lagP99: number
      cpuMs: number
    }
  | { type: 'error'; message: string }

export type ToLoad =
  | { type: 'start'; url: string; streams: number; rangeBytes: number; fileSize: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
export type FromLoad = { type: 'running'; streams: number } | { type: 'paused' } | { type: 'stats'; bytes: number; requests: number; seconds: number }

/** Sub-millisecond wall clock, comparable across processes on one machine. */
export const wallNow = (): number => performance.timeOrigin + performance.now()

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

export interface Summary {
  n: number
  p50: number
  p90: number
  p99: number
  max: number
}

export function summary(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  }
}

/** Sends over IPC (unless msg is null) and waits for the first message of the given type. */
export function request<T extends { type: string }>(
  child: { send(m: unknown): boolean; on(e: 'message', f: (m: T) => void): unknown; off(e: 'message', f: (m: T) => void): unknown },
  msg: unknown,
  replyType: T['type'],
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage)
      reject(new Error(`no ${replyType} reply within ${timeoutMs} ms`))
    }, timeoutMs)
    const onMessage = (m: T) => {
      if (m.type === 'error' && replyType !== 'error') {
        clearTimeout(timer)
        child.off('message', onMessage)
        reject(new Error(`child failed: ${(m as { message?: string }).message}`))
        return
      }
      if (m.type !== replyType) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(m)
    }
    child.on('message', onMessage)
    if (msg !== null) child.send(msg)
  })
}
