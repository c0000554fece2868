/**
 * Caps file reads in flight so the libuv thread pool never has a long queue, and lets a response's
 * first read go before the next read of responses already streaming: a seek or a new viewer waits for
 * at most the reads in flight, not behind every running stream (time to first byte under load).
 */
export class ReadLanes {
  private inFlight = 0
  private readonly first: (() => void)[] = []
  private readonly next: (() => void)[] = []

  constructor(private readonly maxInFlight: number) {}

  /** Resolves with a release function once this read may start. */
  async acquire(isFirstRead: boolean): Promise<() => void> {
    if (this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => (isFirstRead ? this.first : this.next).push(resolve))
    } else {
      this.inFlight++
    }
    let released = false
    return () => {
      if (released) return
      released = true
      const wake = this.first.shift() ?? this.next.shift()
      // The slot passes straight to the woken read, so inFlight stays the same.
      if (wake) wake()
      else this.inFlight--
    }
  }

  get waiting(): number {
    return this.first.length + this.next.length
  }
}
