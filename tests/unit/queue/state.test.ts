import { describe, expect, it } from 'vitest'
import { backoffMs, SESSION_POLICY } from '@/lib/queue/policy'
import { canMove, TRANSITIONS } from '@/lib/queue/state'

describe('session state machine', () => {
  it('moves forward only along QUEUED → STARTING → RUNNING → COMPLETED → STORED', () => {
    expect(canMove('QUEUED', 'STARTING')).toBe(true)
    expect(canMove('STARTING', 'RUNNING')).toBe(true)
    expect(canMove('RUNNING', 'COMPLETED')).toBe(true)
    expect(canMove('COMPLETED', 'STORED')).toBe(true)
    expect(canMove('QUEUED', 'RUNNING')).toBe(false)
    expect(canMove('QUEUED', 'STORED')).toBe(false)
    expect(canMove('RUNNING', 'STORED')).toBe(false)
  })

  it('lets terminal states move only back to the queue (retry, re-encode)', () => {
    for (const s of ['STORED', 'FAILED', 'CANCELLED'] as const) expect(TRANSITIONS[s]).toEqual(['QUEUED'])
  })

  it('backs off exponentially with a cap', () => {
    expect(backoffMs(1)).toBe(SESSION_POLICY.backoffBaseMs)
    expect(backoffMs(2)).toBe(2 * SESSION_POLICY.backoffBaseMs)
    expect(backoffMs(3)).toBe(4 * SESSION_POLICY.backoffBaseMs)
    expect(backoffMs(50)).toBe(SESSION_POLICY.backoffMaxMs)
  })
})
