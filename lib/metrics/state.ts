// In-process counters shared by every copy of this module. server.ts runs one copy and Next's
// bundle loads another, so the numbers live on globalThis: bytes recorded by the media path in
// server.ts are visible to the admin overview route, and rate-limit hits counted inside Next are
// visible to /metrics in server.ts. No prom-client here: this file is cheap to import anywhere.

export type RequestKind = 'api' | 'content' | 'upload' | 'page' | 'socket' | 'metrics' | 'other'

interface Sample {
  at: number
  bytes: number
}

export interface MetricsState {
  bytesServed: number
  /** `${method} ${kind} ${status}` -> count */
  requests: Map<string, number>
  /** `${kind}` -> [sum of seconds, count] */
  durations: Map<string, [number, number]>
  rateLimited: number
  /** `${namespace} ${source}` -> clients; the source is this process or the realtime process. */
  socketClients: Map<string, number>
  /** (time, cumulative bytes) at most once a second, for bytes-per-second over the last minute. */
  samples: Sample[]
}

const KEY = Symbol.for('reelhouse.metrics.state')
const slot = globalThis as unknown as { [KEY]?: MetricsState }

export function metricsState(): MetricsState {
  slot[KEY] ??= {
    bytesServed: 0,
    requests: new Map(),
    durations: new Map(),
    rateLimited: 0,
    socketClients: new Map(),
    samples: [],
  }
  return slot[KEY]
}

const SAMPLE_EVERY_MS = 1000
const KEEP_SAMPLES = 120

function sample(s: MetricsState, now: number): void {
  const last = s.samples[s.samples.length - 1]
  if (last && now - last.at < SAMPLE_EVERY_MS) {
    last.bytes = s.bytesServed
    return
  }
  s.samples.push({ at: now, bytes: s.bytesServed })
  if (s.samples.length > KEEP_SAMPLES) s.samples.splice(0, s.samples.length - KEEP_SAMPLES)
}

/** Counts media bytes written to clients (call it when a content response ends, with the bytes sent). */
export function recordBytesServed(n: number, now = Date.now()): void {
  if (!(n > 0)) return
  const s = metricsState()
  s.bytesServed += n
  sample(s, now)
}

/** Bytes served per second over the last `windowMs` (default 10 s). */
export function bytesServedPerSecond(windowMs = 10_000, now = Date.now()): number {
  const s = metricsState()
  sample(s, now)
  const from = now - windowMs
  // The newest sample at or before the window's start holds the total at that moment.
  let base = s.samples[0]
  for (const x of s.samples) {
    if (x.at > from) break
    base = x
  }
  const span = Math.max(1000, now - Math.max(base.at, from))
  return Math.max(0, ((s.bytesServed - base.bytes) / span) * 1000)
}

export function recordRequest(method: string, kind: RequestKind, status: number, seconds: number): void {
  const s = metricsState()
  const key = `${method} ${kind} ${status}`
  s.requests.set(key, (s.requests.get(key) ?? 0) + 1)
  const d = s.durations.get(kind) ?? [0, 0]
  d[0] += seconds
  d[1] += 1
  s.durations.set(kind, d)
}

export function recordRateLimited(): void {
  metricsState().rateLimited++
}

/** Connected socket.io clients of one namespace (`/player`, `/admin`) held by `source`. */
export function setSocketClients(n: number, namespace = '/', source = 'local'): void {
  metricsState().socketClients.set(`${namespace} ${source}`, Math.max(0, n))
}

/** Clients per namespace, this process's and the realtime process's together. */
export function socketClients(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, n] of metricsState().socketClients) {
    const namespace = key.slice(0, key.lastIndexOf(' '))
    out[namespace] = (out[namespace] ?? 0) + n
  }
  return out
}
