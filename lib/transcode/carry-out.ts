import { UNRECOGNISED_TYPE } from '@/lib/content/original-type'
import type { TranscodeSession } from '@/lib/db'
import { log } from '@/lib/log'
import { failRun, requeueRun, type StoredRun, storeRun } from '@/lib/sessions/lifecycle'
import type { CircuitBreaker } from './breaker'
import type { Outcome } from './outcome'

const clog = log.child({ c: 'transcode' })

/**
 * Records an attempt's outcome: the lifecycle move it stands for, and what the circuit breaker
 * learns from it. A move refused because the lease moved on (cancelled, taken over) is logged: the
 * session is someone else's now.
 */
export async function carryOut(
  session: TranscodeSession,
  workerId: string,
  outcome: Outcome,
  deps: { breaker: CircuitBreaker; stored?: StoredRun },
): Promise<void> {
  const move = async () => {
    switch (outcome.kind) {
      case 'stored':
        if (!deps.stored) throw new Error('a stored outcome needs the run')
        await storeRun(session.id, workerId, deps.stored)
        deps.breaker.recordSuccess()
        return
      case 'requeue-systemic':
        deps.breaker.recordSystemicFailure(outcome.reason)
        await requeueRun(session.id, workerId, { reason: outcome.reason, delayMs: outcome.delayMs, countAttempt: false, fallback: session.fallback })
        return
      case 'retry-later':
      case 'retry-without-top-rung':
        await requeueRun(session.id, workerId, {
          reason: outcome.reason,
          delayMs: outcome.delayMs,
          countAttempt: true,
          fallback: outcome.kind === 'retry-without-top-rung',
        })
        return
      case 'failed-permanently':
        // The owner keeps the bytes, but what the probe refused is only ever served as a download.
        await failRun(session.id, workerId, outcome.reason, outcome.rejectedMedia ? { contentMime: UNRECOGNISED_TYPE } : {})
        return
    }
  }
  await move().catch((err) => clog.warn({ err: (err as Error).message, session: session.id, outcome: outcome.kind }, 'could not record the outcome'))
}
