import { ProgressParser } from './progress'

/**
 * FFmpeg's `-progress` output as the latest figures, and when the encode last advanced (output
 * time or frame count), which the hang check compares against.
 */
export class EncodeProgress {
  latest = { outTimeMs: 0, speed: 0, fps: 0 }
  lastAdvance = performance.now()
  private readonly parser = new ProgressParser()
  private lastOut = -1
  private lastFrame = -1

  constructor(private readonly elapsedMs: () => number) {}

  /** Feeds stdout; `onFigures` runs after each snapshot but the final one. */
  feed(chunk: string, onFigures: () => void): void {
    for (const snap of this.parser.feed(chunk)) {
      if (snap.outTimeMs > this.lastOut || snap.frame > this.lastFrame) this.lastAdvance = performance.now()
      this.lastOut = Math.max(this.lastOut, snap.outTimeMs)
      this.lastFrame = Math.max(this.lastFrame, snap.frame)
      const wallS = this.elapsedMs() / 1000
      this.latest = { outTimeMs: snap.outTimeMs, speed: snap.speed ?? (wallS > 0 ? snap.outTimeMs / 1000 / wallS : 0), fps: snap.fps }
      if (!snap.done) onFigures()
    }
  }

  private pausedSince: number | null = null

  /** A paused encode is not stalled: the hang clock stops while paused and starts afresh on resume. */
  setPaused(paused: boolean): void {
    if (paused) this.pausedSince ??= performance.now()
    else if (this.pausedSince !== null) {
      this.pausedSince = null
      this.lastAdvance = performance.now()
    }
  }

  stalledMs(): number {
    return this.pausedSince !== null ? 0 : performance.now() - this.lastAdvance
  }
}
