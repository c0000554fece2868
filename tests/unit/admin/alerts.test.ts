import { describe, expect, it } from 'vitest'
import { ALERT_THRESHOLDS, type AlertFacts, computeAlerts } from '@/lib/admin/alerts'
import { RateLimiter } from '@/lib/api/rate-limit'
import { bytesServedPerSecond, metricsState, recordBytesServed } from '@/lib/metrics/state'

const healthy = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  now: 1_000_000,
  activeSessions: [],
  liveWorkers: [{ id: 'w1', breakerOpen: false, breakerReason: null }],
  queued: 0,
  disk: { freeBytes: 100 * 1024 ** 3, totalBytes: 200 * 1024 ** 3 },
  failuresRecent: 0,
  failuresBaseline: 0,
  ...over,
})

describe('health monitor alerts', () => {
  it('stays quiet when all is well', () => {
    expect(computeAlerts(healthy())).toEqual([])
  })

  it('flags a session without progress, and only after the threshold', () => {
    const now = 1_000_000
    const fresh = computeAlerts(healthy({ activeSessions: [{ id: 's1', lastActivityAt: now - ALERT_THRESHOLDS.stalledAfterMs + 1 }] }))
    expect(fresh).toEqual([])
    const stale = computeAlerts(healthy({ activeSessions: [{ id: 's1', title: 'Clip', lastActivityAt: now - ALERT_THRESHOLDS.stalledAfterMs - 1 }] }))
    expect(stale).toMatchObject([{ kind: 'session_stalled', sessionId: 's1', severity: 'warning' }])
    expect(stale[0].message).toContain('"Clip"')
  })

  it('flags an open circuit breaker with its reason', () => {
    const a = computeAlerts(healthy({ liveWorkers: [{ id: 'w1', breakerOpen: true, breakerReason: 'ffmpeg not found' }] }))
    expect(a).toMatchObject([{ kind: 'breaker_open', workerId: 'w1', severity: 'critical' }])
    expect(a[0].message).toContain('ffmpeg not found')
  })

  it('flags no live worker: critical when work waits, a warning when idle', () => {
    expect(computeAlerts(healthy({ liveWorkers: [], queued: 2 }))).toMatchObject([{ kind: 'no_worker', severity: 'critical' }])
    expect(computeAlerts(healthy({ liveWorkers: [] }))).toMatchObject([{ kind: 'no_worker', severity: 'warning' }])
  })

  it('flags low disk by bytes or by share of the volume', () => {
    const gib = 1024 ** 3
    expect(computeAlerts(healthy({ disk: { freeBytes: 4 * gib, totalBytes: 1000 * gib } }))).toMatchObject([{ kind: 'disk_low', severity: 'warning' }])
    expect(computeAlerts(healthy({ disk: { freeBytes: 0.5 * gib, totalBytes: 1000 * gib } }))).toMatchObject([{ kind: 'disk_low', severity: 'critical' }])
    expect(computeAlerts(healthy({ disk: { freeBytes: 40 * gib, totalBytes: 1000 * gib } }))).toMatchObject([{ kind: 'disk_low' }])
    expect(computeAlerts(healthy({ disk: null }))).toEqual([])
  })

  it('flags a rising failure rate against the baseline, not a steady one', () => {
    // 15 min recent vs 60 min baseline: 3 recent against 4 in the hour before is a rise (0.2/min vs 0.067/min).
    expect(computeAlerts(healthy({ failuresRecent: 3, failuresBaseline: 4 }))).toMatchObject([{ kind: 'failure_rate' }])
    expect(computeAlerts(healthy({ failuresRecent: 3, failuresBaseline: 12 }))).toEqual([])
    expect(computeAlerts(healthy({ failuresRecent: 2, failuresBaseline: 0 }))).toEqual([])
  })
})

describe('per-key rate limiter', () => {
  it('allows a burst, then refuses with the wait until the next token', () => {
    let now = 0
    const rl = new RateLimiter({ perMinute: 60, burst: 3 }, () => now)
    expect([1, 2, 3].map(() => rl.take('k').ok)).toEqual([true, true, true])
    const refused = rl.take('k')
    expect(refused).toMatchObject({ ok: false, remaining: 0, retryAfterS: 1 })
    expect(rl.take('other').ok).toBe(true)
    now += 1000
    expect(rl.take('k')).toMatchObject({ ok: true, remaining: 0 })
    now += 10 * 60_000
    expect(rl.take('k')).toMatchObject({ ok: true, remaining: 2 })
  })
})

describe('bytes served per second', () => {
  it('is the bytes recorded in the window divided by its length', () => {
    const s = metricsState()
    s.samples.length = 0
    s.bytesServed = 0
    recordBytesServed(1000, 0)
    recordBytesServed(5000, 55_000)
    recordBytesServed(5000, 58_000)
    expect(bytesServedPerSecond(10_000, 60_000)).toBeCloseTo(1000, 5)
    expect(bytesServedPerSecond(10_000, 200_000)).toBe(0)
  })
})
