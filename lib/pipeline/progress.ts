// Parser for FFmpeg's `-progress` output: blocks of key=value lines, each ending in
// `progress=continue` (or `progress=end` once). Values may be "N/A" before the first frame is out.

export interface ProgressSnapshot {
  /** Media time written so far. */
  outTimeMs: number
  frame: number
  /** Frames per second the encoder is running at. */
  fps: number
  /** ×realtime as FFmpeg reports it; null while unknown. */
  speed: number | null
  totalSizeBytes: number
  done: boolean
}

function num(v: string | undefined): number | null {
  if (v === undefined) return null
  const n = Number.parseFloat(v)
  return Number.isFinite(n) ? n : null
}

function clock(v: string | undefined): number | null {
  const m = v?.match(/^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/)
  if (!m) return null
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000
  return m[1] ? -ms : ms
}

export class ProgressParser {
  private partial = ''
  private block: Record<string, string> = {}

  /** Feeds raw stdout; returns one snapshot per completed block. */
  feed(chunk: string): ProgressSnapshot[] {
    const out: ProgressSnapshot[] = []
    const lines = (this.partial + chunk).split('\n')
    this.partial = lines.pop() ?? ''
    for (const raw of lines) {
      const line = raw.trim()
      const eq = line.indexOf('=')
      if (eq <= 0) continue
      const key = line.slice(0, eq)
      const value = line.slice(eq + 1).trim()
      if (key !== 'progress') {
        this.block[key] = value
        continue
      }
      out.push(this.snapshot(value === 'end'))
      this.block = {}
    }
    return out
  }

  private snapshot(done: boolean): ProgressSnapshot {
    const b = this.block
    // out_time_us is the reliable key; out_time_ms is also in microseconds (a long-standing FFmpeg quirk).
    const us = num(b.out_time_us) ?? num(b.out_time_ms)
    const outTimeMs = us !== null ? us / 1000 : (clock(b.out_time) ?? 0)
    return {
      outTimeMs: Math.max(0, Math.round(outTimeMs)),
      frame: num(b.frame) ?? 0,
      fps: num(b.fps) ?? 0,
      speed: num(b.speed?.replace(/x$/, '')),
      totalSizeBytes: num(b.total_size) ?? 0,
      done,
    }
  }
}

/** 0–100 with one decimal; never 100 before FFmpeg says it is done. */
export function percentOf(outTimeMs: number, durationMs: number, done = false): number {
  if (done) return 100
  if (!(durationMs > 0)) return 0
  return Math.min(99.9, Math.max(0, Math.floor((outTimeMs / durationMs) * 1000) / 10))
}
