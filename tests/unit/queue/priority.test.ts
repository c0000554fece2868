import { describe, expect, it } from 'vitest'
import { hasStartupLead, laneOf, type PriorityPolicy, type RunningFacts, shouldPreempt, shouldResume } from '@/lib/queue/priority'

const policy: PriorityPolicy = { startupLeadMs: 30_000, freshUploadMs: 10 * 60_000, maxPauseMs: 10 * 60_000 }
const now = new Date('2026-12-01T12:00:00Z')
const ago = (ms: number) => new Date(now.getTime() - ms)
const running = (o: Partial<RunningFacts> = {}): RunningFacts => ({ encoding: true, encodedMs: 120_000, durationMs: 600_000, ...o })

describe('the start-up lane', () => {
  it('takes a first encode that was just uploaded, or that someone waits for', () => {
    expect(laneOf({ createdAt: ago(5_000), firstEncode: true, viewers: 0 }, now, policy)).toBe('startup')
    expect(laneOf({ createdAt: ago(60 * 60_000), firstEncode: true, viewers: 1 }, now, policy)).toBe('startup')
  })

  it('leaves out an old upload nobody waits for, and re-encodes of stored content (which plays meanwhile)', () => {
    expect(laneOf({ createdAt: ago(60 * 60_000), firstEncode: true, viewers: 0 }, now, policy)).toBe('normal')
    expect(laneOf({ createdAt: ago(1_000), firstEncode: false, viewers: 3 }, now, policy)).toBe('normal')
  })
})

describe('preempting a running encode', () => {
  it('pauses an encode that has its own start-up part for a start-up-lane session', () => {
    expect(shouldPreempt(running(), 'startup', policy)).toBe(true)
  })

  it('never for a normal session', () => {
    expect(shouldPreempt(running(), 'normal', policy)).toBe(false)
  })

  it('not before the running encode has its own first 30 s (two uploads in a row both start)', () => {
    expect(shouldPreempt(running({ encodedMs: 10_000 }), 'startup', policy)).toBe(false)
    // A clip shorter than the lead that is all encoded has its start-up part.
    expect(shouldPreempt(running({ encodedMs: 12_000, durationMs: 12_000 }), 'startup', policy)).toBe(true)
  })

  it('not outside the encode (probe, previews and validation are short and not paused)', () => {
    expect(shouldPreempt(running({ encoding: false }), 'startup', policy)).toBe(false)
  })

  it('counts the lead from media encoded, not from time', () => {
    expect(hasStartupLead(running({ encodedMs: 29_999, durationMs: null }), policy)).toBe(false)
    expect(hasStartupLead(running({ encodedMs: 30_000, durationMs: null }), policy)).toBe(true)
  })
})

describe('resuming the paused encode', () => {
  const preempting = (encodedMs: number, done = false) => ({ encoding: true, encodedMs, durationMs: 90_000, done })

  it('goes on as soon as the preempting session is done (or gone)', () => {
    expect(shouldResume({ viewers: 0, pausedMs: 1_000 }, preempting(20_000, true), policy)).toBe(true)
    expect(shouldResume({ viewers: 0, pausedMs: 1_000 }, null, policy)).toBe(true)
  })

  it('nobody watching it: stays paused until the preempting encode ends', () => {
    expect(shouldResume({ viewers: 0, pausedMs: 60_000 }, preempting(80_000), policy)).toBe(false)
  })

  it('someone watching it: shares the CPU again once the preempting one has its start-up part', () => {
    expect(shouldResume({ viewers: 1, pausedMs: 5_000 }, preempting(10_000), policy)).toBe(false)
    expect(shouldResume({ viewers: 1, pausedMs: 20_000 }, preempting(30_000), policy)).toBe(true)
  })

  it('never waits longer than maxPauseMs, however long the preempting encode is', () => {
    expect(shouldResume({ viewers: 0, pausedMs: policy.maxPauseMs }, preempting(80_000), policy)).toBe(true)
  })
})
