// Keeps one player on a shared timeline. Pure and browser-safe: it never reads a clock or
// touches a media element; the caller samples the player, calls step() a few times a second and
// carries out the decision.
//
// Drift is corrected three ways, chosen by its size:
//   |drift| inside the dead band     nothing (the band widens with the member's RTT jitter, since
//                                    the clock offset is only known to about half a round trip)
//   up to the seek threshold          playbackRate nudge proportional to the drift, bounded, with
//                                    hysteresis: correcting starts outside the band and stops only
//                                    well inside it, so the rate never flips back and forth
//   past the seek threshold           a seek ahead of the timeline by the time seeks take here
//                                    (learnt from the previous seeks), then nudges for the rest
//
// Until the player has been in the band once (a fresh video, a late join) and again after a stall
// or a seek, it is not "locked": nobody watches it play in step yet, so a much lower seek
// threshold gets it there in a second or two instead of the half minute a 5 % nudge would take.
// Once locked, only the full threshold seeks, so steady playback never stutters.

/** The authority: where playback is at a server instant. */
export interface Timeline {
  positionMs: number
  /** Server epoch ms at which `positionMs` holds. */
  serverTimeMs: number
  playing: boolean
  rate: number
}

/** What the caller read from the player, at the client instant of the step. */
export interface PlayerSample {
  positionMs: number
  paused: boolean
  /** Playing was asked for but the media has no data (stalled, or a seek still loading). */
  buffering: boolean
  seeking: boolean
  rate: number
  /** The media's length, when known: a timeline past it is left alone. */
  durationMs?: number
}

export interface SyncInput {
  /** Client epoch ms of the sample. */
  nowMs: number
  timeline: Timeline
  /** Estimated server - client clock offset (ms). */
  offsetMs: number
  /** Spread of the member's recent round trips (ms); 0 when unknown. */
  jitterMs: number
  player: PlayerSample
}

export type SyncMode = 'idle' | 'nudging' | 'seeking' | 'stalled' | 'paused' | 'ended'

export interface SyncDecision {
  /** Player position minus where the timeline is (ms): positive means ahead. */
  driftMs: number
  /** Where the timeline is at the sample's instant (ms). */
  expectedMs: number
  mode: SyncMode
  /** Set when the playback rate must change. */
  rate?: number
  /** Set when the player must seek (ms). */
  seekToMs?: number
  /** true: start playing; false: pause. Absent: leave it. */
  play?: boolean
}

export interface SyncOptions {
  /** Drift below this is left alone (ms). */
  deadBandMs: number
  /** A correction runs until the drift is below this (ms), so it never stops on the band's edge. */
  settleMs: number
  /** The largest rate change, as a fraction of the timeline's rate (0.05 = ±5 %). */
  maxRateDelta: number
  /** Proportional gain: the rate takes back drift/horizonMs, so a drift decays over about this long (ms) until the bound. */
  horizonMs: number
  /** From this drift on, seek instead of nudging (ms). */
  seekThresholdMs: number
  /** After a seek, no second one for this long (ms): the first must settle. */
  seekCooldownMs: number
  /** Not locked yet (joining, after a stall or seek): seek from this drift on (ms). */
  unlockedSeekThresholdMs: number
  /** Not locked yet: the shorter wait between two seeks (ms). */
  unlockedSeekCooldownMs: number
  /** Rate changes smaller than this are not worth a media element update. */
  minRateStep: number
  /** How much the band (× 0.5) and the seek threshold (× 2) widen per ms of jitter. */
  jitterWeight: number
  /** First guess of how long a seek takes to play again (ms); learnt from then on. */
  initialSeekLeadMs: number
  maxSeekLeadMs: number
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  deadBandMs: 20,
  settleMs: 8,
  maxRateDelta: 0.05,
  horizonMs: 1000,
  seekThresholdMs: 1000,
  seekCooldownMs: 1500,
  unlockedSeekThresholdMs: 150,
  unlockedSeekCooldownMs: 600,
  minRateStep: 0.002,
  jitterWeight: 1,
  initialSeekLeadMs: 150,
  maxSeekLeadMs: 2000,
}

/** Where the timeline is at client time `nowMs`. */
export function expectedPosition(t: Timeline, nowMs: number, offsetMs: number): number {
  if (!t.playing) return t.positionMs
  return t.positionMs + Math.max(0, nowMs + offsetMs - t.serverTimeMs) * t.rate
}

/** Closer than this to the end counts as the end (ms). */
const END_MARGIN_MS = 100

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

export class SyncController {
  readonly options: SyncOptions
  private correcting = false
  /** Has been in the band since the last reset, stall or seek. */
  private locked = false
  private lastSeekAt = Number.NEGATIVE_INFINITY
  /** A seek was issued and its landing has not been measured yet. */
  private seekPending = false
  private seekLeadMs: number

  constructor(options: Partial<SyncOptions> = {}) {
    this.options = { ...DEFAULT_SYNC_OPTIONS, ...options }
    this.seekLeadMs = this.options.initialSeekLeadMs
  }

  /** The learnt time between asking for a seek and playing again from it (ms). */
  get seekLead(): number {
    return this.seekLeadMs
  }

  /** Whether the player has settled on the timeline (and only large drifts make it seek). */
  get isLocked(): boolean {
    return this.locked
  }

  /** The dead band and seek thresholds for a member with this RTT jitter. */
  thresholds(jitterMs: number): { bandMs: number; settleMs: number; seekMs: number; unlockedSeekMs: number } {
    const j = Math.max(0, jitterMs) * this.options.jitterWeight
    const bandMs = this.options.deadBandMs + j / 2
    return {
      bandMs,
      settleMs: this.options.settleMs + j / 4,
      seekMs: Math.max(this.options.seekThresholdMs + 2 * j, bandMs * 4),
      unlockedSeekMs: Math.max(this.options.unlockedSeekThresholdMs + 2 * j, bandMs * 4),
    }
  }

  /** Forget corrections in flight (a new video, a rejoin): the next step starts fresh. */
  reset(): void {
    this.correcting = false
    this.locked = false
    this.seekPending = false
    this.lastSeekAt = Number.NEGATIVE_INFINITY
  }

  step(input: SyncInput): SyncDecision {
    const { timeline: t, player: p, nowMs } = input
    const expectedMs = expectedPosition(t, nowMs, input.offsetMs)
    const driftMs = p.positionMs - expectedMs
    const base = t.rate
    const th = this.thresholds(input.jitterMs)
    const { bandMs, settleMs } = th
    const out: SyncDecision = { driftMs, expectedMs, mode: 'idle' }
    const setRate = (rate: number) => {
      if (Math.abs(rate - p.rate) >= this.options.minRateStep || (rate === base && p.rate !== base)) out.rate = rate
    }

    if (!t.playing) {
      this.correcting = false
      this.seekPending = false
      out.mode = 'paused'
      if (!p.paused) out.play = false
      setRate(base)
      // Paused, a seek is exact and invisible: take the timeline's frame.
      if (!p.seeking && Math.abs(driftMs) > bandMs) out.seekToMs = expectedMs
      return out
    }

    if (p.durationMs !== undefined && expectedMs >= p.durationMs - END_MARGIN_MS) {
      // The timeline has run past this video: let it play out and stop (play() on an ended
      // element would restart it from the beginning).
      this.correcting = false
      out.mode = 'ended'
      return out
    }
    if (p.paused) out.play = true
    if (p.seeking || p.buffering) {
      // No data: a rate says nothing now, and the drift it would see is the stall itself.
      this.correcting = false
      this.locked = false
      out.mode = p.seeking ? 'seeking' : 'stalled'
      setRate(base)
      return out
    }

    const seekMs = this.locked ? th.seekMs : th.unlockedSeekMs
    const cooldownMs = this.locked ? this.options.seekCooldownMs : this.options.unlockedSeekCooldownMs
    if (this.seekPending && !p.paused) {
      // The first playing sample after a seek shows how far off the lead was.
      this.seekPending = false
      if (Math.abs(driftMs) < th.seekMs) this.seekLeadMs = clamp(this.seekLeadMs - driftMs * 0.8, 0, this.options.maxSeekLeadMs)
    }

    const abs = Math.abs(driftMs)
    if (abs >= seekMs && nowMs - this.lastSeekAt >= cooldownMs) {
      this.correcting = false
      this.locked = false
      this.seekPending = true
      this.lastSeekAt = nowMs
      out.mode = 'seeking'
      out.seekToMs = Math.max(0, expectedMs + this.seekLeadMs * base)
      setRate(base)
      return out
    }

    if (this.correcting ? abs <= settleMs : abs <= bandMs) {
      this.correcting = false
      this.locked = true
      setRate(base)
      return out
    }
    this.correcting = true
    out.mode = 'nudging'
    setRate(this.rateFor(driftMs, base))
    return out
  }

  /** Proportional: the drift is taken back over about horizonMs, within ±maxRateDelta. */
  rateFor(driftMs: number, base: number): number {
    const delta = clamp(driftMs / this.options.horizonMs, -this.options.maxRateDelta, this.options.maxRateDelta)
    return base * (1 - delta)
  }
}
