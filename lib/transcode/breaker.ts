import type { ClaimGate } from '@/lib/queue/runner'

/**
 * Pauses claiming after repeated systemic failures (FFmpeg missing, disk full): retrying other
 * sessions would only fail them too. Half-opens after `coolDownMs` to try one session again.
 */
export class CircuitBreaker implements ClaimGate {
  private failures = 0
  private openedAt: number | null = null
  private reason: string | null = null

  constructor(
    private readonly threshold = 3,
    private readonly coolDownMs = 60_000,
    private readonly now = () => Date.now(),
  ) {}

  recordSystemicFailure(reason: string): void {
    this.failures++
    this.reason = reason
    if (this.failures >= this.threshold) this.openedAt = this.now()
  }

  recordSuccess(): void {
    this.failures = 0
    this.openedAt = null
    this.reason = null
  }

  get open(): boolean {
    return this.openedAt !== null && this.now() - this.openedAt < this.coolDownMs
  }

  canClaim(): boolean {
    return !this.open
  }

  beat() {
    return { breakerOpen: this.open, breakerReason: this.open ? this.reason : null }
  }
}
