import { describe, expect, it } from 'vitest'
import { ClockOffsetEstimator, measure } from '@/lib/realtime/clock'

/** A probe against a server whose clock is `offset` ahead, with the given one-way delays. */
const probe = (t0: number, offset: number, up: number, down: number, serverWork = 0) => {
  const t1 = t0 + up + offset
  const t2 = t1 + serverWork
  return { t0, t1, t2, t3: t2 - offset + down }
}

describe('clock offset', () => {
  it('is exact for a symmetric round trip, whatever the server work', () => {
    expect(measure(probe(1000, 250, 5, 5, 3))).toEqual({ offsetMs: 250, rttMs: 10 })
    expect(measure(probe(1000, -4000, 20, 20))).toEqual({ offsetMs: -4000, rttMs: 40 })
  })

  it('errs by half the asymmetry', () => {
    expect(measure(probe(0, 100, 30, 10))?.offsetMs).toBe(110)
  })

  it('rejects impossible samples', () => {
    expect(measure({ t0: 10, t1: 20, t2: 19, t3: 30 })).toBeNull()
    expect(measure({ t0: 10, t1: 100, t2: 200, t3: 15 })).toBeNull()
  })

  it('uses the sample with the smallest round trip', () => {
    const c = new ClockOffsetEstimator()
    expect(c.offsetMs).toBe(0)
    expect(c.rttMs).toBe(Number.POSITIVE_INFINITY)
    c.add(probe(0, 500, 80, 10)) // asymmetric and slow: 535
    c.add(probe(100, 500, 2, 3)) // fast: 499.5
    c.add(probe(200, 500, 40, 40)) // symmetric but slow: 500
    expect(c.offsetMs).toBe(499.5)
    expect(c.rttMs).toBe(5)
    expect(c.serverNow(1000)).toBe(1499.5)
    expect(c.toClient(1499.5)).toBe(1000)
  })

  it('forgets samples outside its window, so it follows a clock that moved', () => {
    const c = new ClockOffsetEstimator(3)
    c.add(probe(0, 100, 1, 1))
    for (let i = 1; i <= 3; i++) c.add(probe(i * 100, 300, 5, 5))
    expect(c.sampleCount).toBe(3)
    expect(c.offsetMs).toBe(300)
  })

  it('ignores a rejected sample', () => {
    const c = new ClockOffsetEstimator()
    expect(c.add({ t0: 10, t1: 100, t2: 200, t3: 15 })).toBe(false)
    expect(c.sampleCount).toBe(0)
  })

  it("measures jitter as the round trips' mean above the fastest", () => {
    const c = new ClockOffsetEstimator()
    c.add(probe(0, 0, 5, 5))
    expect(c.jitterMs).toBe(0)
    c.add(probe(100, 0, 5, 5))
    expect(c.jitterMs).toBe(0)
    c.add(probe(200, 0, 20, 20)) // 40 vs 10, 10
    expect(c.jitterMs).toBe(10)
  })
})
