import { env } from '@/lib/config/env'

// Job policy in one place (PeerTube-style constants): attempts, backoff, leases, timeouts.
const leaseMs = env().WORKER_LEASE_MS

export const SESSION_POLICY = {
  maxAttempts: 3,
  /** Retry n waits backoffBaseMs * 2^(n-1), capped. */
  backoffBaseMs: 2_000,
  backoffMaxMs: 5 * 60_000,
  /** A worker that misses renewals for this long loses the session to another worker (WORKER_LEASE_MS). */
  leaseMs,
  renewEveryMs: Math.min(10_000, leaseMs / 3),
  heartbeatEveryMs: 5_000,
  /** Workers without a heartbeat for this long are not "live" (health endpoint, admin). */
  workerLiveMs: 30_000,
  /** No FFmpeg progress for this long: kill it and retry. */
  hangTimeoutMs: 60_000,
  pollEveryMs: 5_000,
  /** After a failure of the machine (FFmpeg missing, disk full): wait this long before trying the session again. */
  systemicRetryMs: 30_000,
} as const

/**
 * The priority lane (lib/queue/priority.ts): one worker runs one encode at a time, and a start-up-lane
 * session (the first encode of an upload someone waits for or that was just uploaded) pauses a
 * running encode that already has its own start-up part: SIGSTOP on its FFmpeg, which keeps all its
 * work, its lease (renewed by the worker, which is not stopped) and its place; SIGCONT afterwards.
 */
export const PRIORITY_POLICY = {
  startupLeadMs: 30_000,
  freshUploadMs: 10 * 60_000,
  maxPauseMs: 10 * 60_000,
  /** A viewer counts as waiting while their player asked for the unfinished video this recently. */
  viewerFreshMs: 10_000,
} as const

export const backoffMs = (attempt: number): number => Math.min(SESSION_POLICY.backoffBaseMs * 2 ** Math.max(0, attempt - 1), SESSION_POLICY.backoffMaxMs)

export interface PosterPolicy {
  maxAttempts: number
  leaseMs: number
  pollEveryMs: number
}

/** Poster frames (one FFmpeg still each): a few tries, a short lease, polled as a fallback to NOTIFY. */
export const POSTER_POLICY: PosterPolicy = {
  maxAttempts: 3,
  leaseMs: 60_000,
  pollEveryMs: 5_000,
}
