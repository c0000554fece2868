import { describe, expect, it } from 'vitest'
import { backoffMs, SESSION_POLICY } from '@/lib/queue/policy'
import {
  CONTENT_TRANSITIONS,
  type ContentState,
  canMoveContent,
  canMoveSession,
  FINISHED_STATES,
  LEASED_STATES,
  SESSION_STATES,
  type SessionState,
} from '@/lib/sessions/states'

// Every pair of states, allowed or not, so a change to either table shows up here as a row.
const SESSION_MOVES: Record<SessionState, SessionState[]> = {
  QUEUED: ['STARTING', 'CANCELLED', 'FAILED'],
  STARTING: ['STARTING', 'RUNNING', 'QUEUED', 'FAILED', 'CANCELLED'],
  RUNNING: ['STARTING', 'COMPLETED', 'QUEUED', 'FAILED', 'CANCELLED'],
  COMPLETED: ['STARTING', 'STORED', 'QUEUED', 'FAILED'],
  STORED: ['QUEUED'],
  FAILED: ['QUEUED'],
  CANCELLED: ['QUEUED'],
}

const CONTENT_MOVES: Record<ContentState, ContentState[]> = {
  UPLOADED: ['UPLOADED', 'PROCESSING', 'FAILED'],
  PROCESSING: ['PROCESSING', 'STORED', 'FAILED'],
  STORED: ['STORED', 'PROCESSING'],
  FAILED: ['FAILED', 'PROCESSING'],
}

describe('session transition table', () => {
  const pairs = SESSION_STATES.flatMap((from) => SESSION_STATES.map((to) => [from, to, SESSION_MOVES[from].includes(to)] as const))

  it.each(pairs)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMoveSession(from, to)).toBe(allowed)
  })

  it('stores only after the outputs are complete, and never skips the claim', () => {
    expect(canMoveSession('RUNNING', 'STORED')).toBe(false)
    expect(canMoveSession('QUEUED', 'RUNNING')).toBe(false)
  })

  it('lets finished sessions move only back to the queue (retry, re-encode)', () => {
    for (const s of FINISHED_STATES) expect(SESSION_STATES.filter((to) => canMoveSession(s, to))).toEqual(['QUEUED'])
  })

  it('lets another worker take over every leased state, and nothing else', () => {
    expect(SESSION_STATES.filter((s) => canMoveSession(s, 'STARTING')).sort()).toEqual(['QUEUED', ...LEASED_STATES].sort())
  })
})

describe('content transition table', () => {
  const states = Object.keys(CONTENT_TRANSITIONS) as ContentState[]
  const pairs = states.flatMap((from) => states.map((to) => [from, to, CONTENT_MOVES[from].includes(to)] as const))

  it.each(pairs)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMoveContent(from, to)).toBe(allowed)
  })
})

describe('retry backoff', () => {
  it('backs off exponentially with a cap', () => {
    expect(backoffMs(1)).toBe(SESSION_POLICY.backoffBaseMs)
    expect(backoffMs(2)).toBe(2 * SESSION_POLICY.backoffBaseMs)
    expect(backoffMs(3)).toBe(4 * SESSION_POLICY.backoffBaseMs)
    expect(backoffMs(50)).toBe(SESSION_POLICY.backoffMaxMs)
  })
})
