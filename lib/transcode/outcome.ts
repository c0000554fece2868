import { MediaRejected, PipelineError, type PipelineFailure } from '@/lib/pipeline/errors'

// What becomes of a session after one attempt: a pure function of (what went wrong, which attempt,
// the policy). The handler carries the outcome out (lifecycle moves, circuit breaker); tests check
// the decision as a table.

/** Why an attempt did not store: the pipeline's failure kinds, plus the worker's own checks. */
export type FailureKind =
  /** The upload is unacceptable (not media, too long, references other files…). */
  | 'rejected'
  /** The original is gone from the content store. */
  | 'missing-original'
  /** Too few bytes free for the outputs. */
  | 'disk-low'
  /** Workers kept dying mid-encode until the attempts ran out. */
  | 'attempts-exhausted'
  /** Anything else that is no pipeline failure (a bug, a lost database connection). */
  | 'unexpected'
  | Exclude<PipelineFailure, 'cancelled'>

export interface Failure {
  kind: FailureKind
  reason: string
}

export interface OutcomePolicy {
  maxAttempts: number
  /** Wait before retry n (1-based). */
  backoffMs: (attempt: number) => number
  /** Wait before trying again after the machine failed (FFmpeg missing, disk full). */
  systemicDelayMs: number
}

export type Outcome =
  | { kind: 'stored' }
  | { kind: 'retry-later'; reason: string; delayMs: number }
  | { kind: 'retry-without-top-rung'; reason: string; delayMs: number }
  | { kind: 'requeue-systemic'; reason: string; delayMs: number }
  /** `rejectedMedia`: the probe refused the upload, so its original is served only as a download. */
  | { kind: 'failed-permanently'; reason: string; rejectedMedia?: true }

const PERMANENT: ReadonlySet<FailureKind> = new Set(['rejected', 'missing-original', 'attempts-exhausted'])
/** Say something about the machine, not the input: the attempt is given back and claiming pauses. */
const SYSTEMIC: ReadonlySet<FailureKind> = new Set(['unavailable', 'disk-low'])

/**
 * The outcome of a failed attempt. `attempt` is the 1-based number of the attempt that failed;
 * `fallback` says whether it already ran without the top rung (after FFmpeg failed on the full
 * ladder, every later try drops it).
 */
export function decideOutcome(failure: Failure, attempt: number, fallback: boolean, policy: OutcomePolicy): Outcome {
  const { reason } = failure
  if (failure.kind === 'rejected') return { kind: 'failed-permanently', reason, rejectedMedia: true }
  if (PERMANENT.has(failure.kind)) return { kind: 'failed-permanently', reason }
  if (SYSTEMIC.has(failure.kind)) return { kind: 'requeue-systemic', reason, delayMs: policy.systemicDelayMs }
  if (attempt >= policy.maxAttempts) return { kind: 'failed-permanently', reason }
  const delayMs = policy.backoffMs(attempt)
  if (fallback || failure.kind === 'ffmpeg') return { kind: 'retry-without-top-rung', reason, delayMs }
  return { kind: 'retry-later', reason, delayMs }
}

/** What an error thrown by the pipeline means for the session (a cancelled run never gets here). */
export function failureOf(err: unknown): Failure {
  if (err instanceof MediaRejected) return { kind: 'rejected', reason: err.message }
  if (err instanceof PipelineError && err.kind !== 'cancelled') return { kind: err.kind, reason: err.message }
  return { kind: 'unexpected', reason: err instanceof Error ? err.message : String(err) }
}
