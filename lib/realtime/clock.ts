// NTP-style estimate of the server clock from ping/pong probes. Pure, browser-safe.
//
// A probe records t0 (client send), t1 (server receive), t2 (server send), t3 (client receive).
// offset = ((t1 - t0) + (t2 - t3)) / 2 is exact when both legs take equally long; the error is
// at most half the round trip, so the sample with the smallest round trip is the best one.

export interface ClockSample {
  t0: number
  t1: number
  t2: number
  t3: number
}

/** Offset (server - client, ms) and round-trip time of one probe; null for an impossible sample. */
export function measure(s: ClockSample): { offsetMs: number; rttMs: number } | null {
  const rttMs = s.t3 - s.t0 - (s.t2 - s.t1)
  if (!Number.isFinite(rttMs) || rttMs < 0 || s.t2 < s.t1) return null
  return { offsetMs: (s.t1 - s.t0 + (s.t2 - s.t3)) / 2, rttMs }
}

export class ClockOffsetEstimator {
  private samples: { offsetMs: number; rttMs: number }[] = []

  /** Keeps the last `window` samples so a clock that drifts or a route that changes is followed. */
  constructor(private readonly window = 8) {}

  add(sample: ClockSample): boolean {
    const m = measure(sample)
    if (!m) return false
    this.samples.push(m)
    if (this.samples.length > this.window) this.samples.shift()
    return true
  }

  private best() {
    let best: { offsetMs: number; rttMs: number } | undefined
    for (const s of this.samples) if (!best || s.rttMs < best.rttMs) best = s
    return best
  }

  /** server time = client time + offsetMs; 0 until the first sample. */
  get offsetMs(): number {
    return this.best()?.offsetMs ?? 0
  }

  /** Round trip of the sample in use; Infinity until the first sample. */
  get rttMs(): number {
    return this.best()?.rttMs ?? Number.POSITIVE_INFINITY
  }

  /**
   * How much the recent round trips vary: their mean above the fastest (ms), 0 with fewer than two
   * samples. The offset is only known to about half a round trip, so a jittery link deserves
   * wider sync thresholds.
   */
  get jitterMs(): number {
    if (this.samples.length < 2) return 0
    const min = Math.min(...this.samples.map((s) => s.rttMs))
    return this.samples.reduce((sum, s) => sum + s.rttMs - min, 0) / this.samples.length
  }

  get sampleCount(): number {
    return this.samples.length
  }

  /** The server's clock now, from a client timestamp. */
  serverNow(clientNow: number): number {
    return clientNow + this.offsetMs
  }

  /** A server timestamp on the client's clock. */
  toClient(serverTime: number): number {
    return serverTime - this.offsetMs
  }

  reset(): void {
    this.samples = []
  }
}
