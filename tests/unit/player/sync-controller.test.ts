import { describe, expect, it } from 'vitest'
import { type SyncDecision, SyncController, type SyncOptions, type Timeline } from '@/lib/player/sync-controller'

// A simulated member: a media element whose position moves at its playback rate, with seeks that
// take time to play again, stalls, a rate change that lands a little late, and a position read
// with noise; and a server clock `offset` ahead of the member's. The controller sees only what a
// page sees (samples and the estimated offset), the test measures the true drift.

interface SimOptions {
  startDriftMs: number
  offsetMs?: number
  /** Error of the member's offset estimate (ms). */
  offsetErrorMs?: number
  seekDelayMs?: number
  rateLagSteps?: number
  noiseMs?: number
  timelineRate?: number
  jitterMs?: number
  stepMs?: number
  options?: Partial<SyncOptions>
}

/** Deterministic noise in [-1, 1]. */
function noise(seed: number) {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648
    return (x / 2147483648) * 2 - 1
  }
}

class Sim {
  clientNow = 1_000_000
  readonly offsetMs: number
  timeline: Timeline
  position: number
  rate = 1
  paused = false
  stalledUntil = Number.NEGATIVE_INFINITY
  seekingUntil = Number.NEGATIVE_INFINITY
  private pendingRates: number[] = []
  readonly controller: SyncController
  readonly decisions: SyncDecision[] = []
  readonly rates: number[] = []
  seeks = 0
  private rnd = noise(7)

  constructor(readonly o: SimOptions) {
    this.offsetMs = o.offsetMs ?? 3600_000
    this.controller = new SyncController(o.options)
    const serverNow = this.clientNow + this.offsetMs
    this.timeline = { positionMs: 60_000, serverTimeMs: serverNow, playing: true, rate: o.timelineRate ?? 1 }
    this.position = 60_000 + o.startDriftMs
  }

  /** Where the timeline really is now. */
  expected(): number {
    const t = this.timeline
    return t.playing ? t.positionMs + (this.clientNow + this.offsetMs - t.serverTimeMs) * t.rate : t.positionMs
  }

  drift(): number {
    return this.position - this.expected()
  }

  advance(ms: number) {
    const now = this.clientNow
    const moving = !this.paused && now >= this.seekingUntil && now >= this.stalledUntil
    if (moving) this.position += ms * this.rate
    this.clientNow += ms
  }

  step() {
    const o = this.o
    const d = this.controller.step({
      nowMs: this.clientNow,
      timeline: this.timeline,
      offsetMs: this.offsetMs + (o.offsetErrorMs ?? 0),
      jitterMs: o.jitterMs ?? 0,
      player: {
        positionMs: this.position + (o.noiseMs ?? 0) * this.rnd(),
        paused: this.paused,
        buffering: this.clientNow < this.stalledUntil,
        seeking: this.clientNow < this.seekingUntil,
        rate: this.rate,
      },
    })
    this.decisions.push(d)
    if (d.play === true) this.paused = false
    if (d.play === false) this.paused = true
    if (d.seekToMs !== undefined) {
      this.seeks++
      this.position = d.seekToMs
      this.seekingUntil = this.clientNow + (o.seekDelayMs ?? 0)
    }
    if (d.rate !== undefined) this.pendingRates.push(d.rate)
    // A rate set now takes effect `rateLagSteps` steps later (the element applies it on its next tick).
    while (this.pendingRates.length > (o.rateLagSteps ?? 0)) this.rate = this.pendingRates.shift() as number
    this.rates.push(this.rate)
  }

  run(ms: number) {
    const stepMs = this.o.stepMs ?? 100
    for (let t = 0; t < ms; t += stepMs) {
      this.step()
      this.advance(stepMs)
    }
  }
}

/** How often the rate crossed from speeding up to slowing down or back. */
function signChanges(rates: number[], base: number): number {
  let last = 0
  let changes = 0
  for (const r of rates) {
    const sign = Math.sign(Math.round((r - base) * 1e6))
    if (sign === 0) continue
    if (last !== 0 && sign !== last) changes++
    last = sign
  }
  return changes
}

const OFFSETS = [-20_000, -5_000, -1_500, -900, -400, -120, -45, -25, 25, 45, 120, 400, 900, 1_500, 5_000, 20_000]

describe('sync controller', () => {
  it('converges into the dead band from any offset and stays there at the timeline rate', () => {
    for (const startDriftMs of OFFSETS) {
      const sim = new Sim({ startDriftMs, seekDelayMs: 250, rateLagSteps: 1, noiseMs: 2 })
      sim.run(40_000)
      const tail = sim.decisions.slice(-50)
      expect(Math.abs(sim.drift()), `from ${startDriftMs} ms`).toBeLessThanOrEqual(20)
      expect(
        tail.every((d) => Math.abs(d.driftMs) <= 20 + 2),
        `from ${startDriftMs} ms`,
      ).toBe(true)
      expect(sim.rate, `from ${startDriftMs} ms`).toBe(1)
    }
  })

  it('never leaves the rate bounds, at normal and changed timeline rates', () => {
    for (const timelineRate of [1, 1.5, 0.5]) {
      for (const startDriftMs of OFFSETS) {
        const sim = new Sim({ startDriftMs, timelineRate, seekDelayMs: 200, noiseMs: 3 })
        // At half speed the same bound takes half as much back per second.
        sim.run(60_000)
        expect(Math.min(...sim.rates)).toBeGreaterThanOrEqual(timelineRate * 0.95 - 1e-9)
        expect(Math.max(...sim.rates)).toBeLessThanOrEqual(timelineRate * 1.05 + 1e-9)
        expect(sim.rate).toBe(timelineRate)
      }
    }
  })

  it('does not oscillate: the rate changes direction at most once per correction, even with noise and a late rate', () => {
    for (const startDriftMs of OFFSETS) {
      const sim = new Sim({ startDriftMs, seekDelayMs: 300, rateLagSteps: 2, noiseMs: 4 })
      sim.run(40_000)
      // One overshoot after a seek may be corrected the other way; never a back-and-forth.
      expect(signChanges(sim.rates, 1), `from ${startDriftMs} ms`).toBeLessThanOrEqual(1)
      // Steady state: no rate change and no seek in the last 15 s.
      const tail = sim.rates.slice(-150)
      expect(new Set(tail).size, `from ${startDriftMs} ms`).toBe(1)
    }
  })

  it('once locked, never seeks for a drift the rate can take back, and seeks once for a large one', () => {
    const small = new Sim({ startDriftMs: 0, seekDelayMs: 300 })
    small.run(1_000)
    expect(small.controller.isLocked).toBe(true)
    // The estimated offset moves by 700 ms (a better clock sample): taken back by rate, no seek.
    small.position -= 700
    small.run(30_000)
    expect(small.seeks).toBe(0)
    expect(Math.abs(small.drift())).toBeLessThanOrEqual(20)
    const large = new Sim({ startDriftMs: 0, seekDelayMs: 300 })
    large.run(1_000)
    large.position -= 8000
    large.run(30_000)
    expect(large.seeks).toBeGreaterThanOrEqual(1)
    expect(large.seeks).toBeLessThanOrEqual(3)
  })

  it('gets a joining player within 100 ms in about two seconds, by seeking while not locked yet', () => {
    for (const startDriftMs of [-3000, -900, -400, -160, 300, 900]) {
      const sim = new Sim({ startDriftMs, seekDelayMs: 350, noiseMs: 2 })
      sim.run(2_500)
      expect(Math.abs(sim.drift()), `from ${startDriftMs} ms`).toBeLessThanOrEqual(100)
    }
  })

  it('learns how long seeks take, so the next one lands close to the timeline', () => {
    const sim = new Sim({ startDriftMs: -10_000, seekDelayMs: 600 })
    sim.run(15_000)
    expect(Math.abs(sim.drift())).toBeLessThanOrEqual(20)
    // Jump the player away again: the second seek lands within 100 ms right away.
    sim.position -= 10_000
    sim.step()
    sim.advance(100)
    while (sim.clientNow < sim.seekingUntil) {
      sim.step()
      sim.advance(100)
    }
    expect(Math.abs(sim.drift())).toBeLessThanOrEqual(100)
  })

  it('after a stall, catches up and leaves no residual offset', () => {
    for (const stallMs of [300, 900, 2500, 6000]) {
      const sim = new Sim({ startDriftMs: 0, seekDelayMs: 250, noiseMs: 2, rateLagSteps: 1 })
      sim.run(3_000)
      sim.stalledUntil = sim.clientNow + stallMs
      sim.run(stallMs)
      expect(sim.decisions.at(-1)?.mode, `stall ${stallMs}`).toBe('stalled')
      expect(sim.rate, 'no nudge while stalled').toBe(1)
      sim.run(30_000)
      expect(Math.abs(sim.drift()), `stall ${stallMs}`).toBeLessThanOrEqual(20)
      expect(sim.rate, `stall ${stallMs}`).toBe(1)
      // Converged means settled well inside the band, not parked on its edge.
      expect(Math.abs(sim.drift()), `stall ${stallMs}`).toBeLessThanOrEqual(sim.controller.options.settleMs + 4)
    }
  })

  it('widens its thresholds with jitter: a drift inside the widened band is left alone', () => {
    const calm = new Sim({ startDriftMs: 40 })
    calm.run(200)
    expect(calm.decisions[0].mode).toBe('nudging')
    const jittery = new Sim({ startDriftMs: 40, jitterMs: 80 })
    jittery.run(200)
    expect(jittery.decisions[0].mode).toBe('idle')
    expect(jittery.rate).toBe(1)
    const c = new SyncController()
    expect(c.thresholds(200).seekMs).toBeGreaterThan(c.thresholds(0).seekMs)
  })

  it('follows a paused timeline exactly and resumes with it', () => {
    const sim = new Sim({ startDriftMs: 0 })
    sim.run(1_000)
    const at = sim.expected()
    sim.timeline = { positionMs: Math.round(at) + 2_000, serverTimeMs: sim.clientNow + sim.offsetMs, playing: false, rate: 1 }
    sim.run(500)
    expect(sim.paused).toBe(true)
    expect(Math.abs(sim.drift())).toBeLessThanOrEqual(20)
    sim.timeline = { ...sim.timeline, serverTimeMs: sim.clientNow + sim.offsetMs, playing: true }
    sim.run(3_000)
    expect(sim.paused).toBe(false)
    expect(Math.abs(sim.drift())).toBeLessThanOrEqual(20)
  })

  it('leaves a player alone once the timeline has run past the end of its video', () => {
    const c = new SyncController()
    const base = { nowMs: 0, offsetMs: 0, jitterMs: 0, timeline: { positionMs: 61_000, serverTimeMs: 0, playing: true, rate: 1 } }
    const ended = c.step({ ...base, player: { positionMs: 60_000, paused: true, buffering: false, seeking: false, rate: 1, durationMs: 60_000 } })
    expect(ended).toMatchObject({ mode: 'ended' })
    expect(ended.play).toBeUndefined()
    expect(ended.seekToMs).toBeUndefined()
    const before = c.step({
      ...base,
      timeline: { ...base.timeline, positionMs: 30_000 },
      player: { positionMs: 60_000, paused: true, buffering: false, seeking: false, rate: 1, durationMs: 60_000 },
    })
    expect(before.seekToMs).toBeCloseTo(30_000 + c.seekLead, 0)
  })
})
