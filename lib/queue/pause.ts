/**
 * The runner's side of a pause switch (the pipeline reads it as its PauseSignal): flipped to pause a
 * running encode for the priority lane and to continue it.
 */
export class PauseController {
  private since: number | null = null
  private readonly listeners = new Set<(paused: boolean) => void>()

  get paused(): boolean {
    return this.since !== null
  }

  /** How long the current pause has lasted (0 when running). */
  get pausedMs(): number {
    return this.since === null ? 0 : Date.now() - this.since
  }

  subscribe(fn: (paused: boolean) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  set(paused: boolean): void {
    if (paused === this.paused) return
    this.since = paused ? Date.now() : null
    for (const fn of this.listeners) fn(paused)
  }
}
