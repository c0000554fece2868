import { describe, expect, it } from 'vitest'
import { MediaRejected, PipelineError } from '@/lib/pipeline/errors'
import { decideOutcome, type FailureKind, failureOf, type Outcome, type OutcomePolicy } from '@/lib/transcode/outcome'

const policy: OutcomePolicy = { maxAttempts: 3, backoffMs: (n) => 1000 * n, systemicDelayMs: 30_000 }
const reason = 'it went wrong'

// [failure, attempt that failed, ran without the top rung already, expected outcome]
const table: [FailureKind, number, boolean, Outcome][] = [
  ['rejected', 1, false, { kind: 'failed-permanently', reason, rejectedMedia: true }],
  ['missing-original', 1, false, { kind: 'failed-permanently', reason }],
  ['attempts-exhausted', 4, false, { kind: 'failed-permanently', reason }],
  ['unavailable', 1, false, { kind: 'requeue-systemic', reason, delayMs: 30_000 }],
  ['unavailable', 3, false, { kind: 'requeue-systemic', reason, delayMs: 30_000 }],
  ['disk-low', 3, true, { kind: 'requeue-systemic', reason, delayMs: 30_000 }],
  ['hung', 1, false, { kind: 'retry-later', reason, delayMs: 1000 }],
  ['invalid_output', 2, false, { kind: 'retry-later', reason, delayMs: 2000 }],
  ['unexpected', 1, false, { kind: 'retry-later', reason, delayMs: 1000 }],
  ['ffmpeg', 1, false, { kind: 'retry-without-top-rung', reason, delayMs: 1000 }],
  ['hung', 2, true, { kind: 'retry-without-top-rung', reason, delayMs: 2000 }],
  ['ffmpeg', 3, true, { kind: 'failed-permanently', reason }],
  ['hung', 3, false, { kind: 'failed-permanently', reason }],
  ['unexpected', 3, false, { kind: 'failed-permanently', reason }],
]

describe('decideOutcome', () => {
  it.each(table)('%s on attempt %i (fallback %s) → %o', (kind, attempt, fallback, expected) => {
    expect(decideOutcome({ kind, reason }, attempt, fallback, policy)).toEqual(expected)
  })

  it('follows the policy’s attempt limit', () => {
    expect(decideOutcome({ kind: 'hung', reason }, 3, false, { ...policy, maxAttempts: 5 }).kind).toBe('retry-later')
    expect(decideOutcome({ kind: 'hung', reason }, 1, false, { ...policy, maxAttempts: 1 }).kind).toBe('failed-permanently')
  })
})

describe('failureOf', () => {
  it.each([
    [new MediaRejected('not_media', 'not a video'), 'rejected'],
    [new PipelineError('ffmpeg', 'exit 1'), 'ffmpeg'],
    [new PipelineError('unavailable', 'no ffmpeg'), 'unavailable'],
    [new PipelineError('hung', 'no progress'), 'hung'],
    [new TypeError('x is undefined'), 'unexpected'],
    ['a string', 'unexpected'],
  ] as const)('%o → %s', (err, kind) => {
    expect(failureOf(err).kind).toBe(kind)
  })
})
