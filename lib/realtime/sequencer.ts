import type { CommandEvent, RoomState } from './protocol'

// Orders one room's command events by seq. Pure: it never reads a clock or sets a timer; the
// caller passes `now` and runs tick() at nextDeadline(). It answers with actions:
//   apply - hand this command to the player, in seq order
//   jump  - the player should take this whole state (join, sync, reconnect)
//   sync  - ask the server for the room state (gap that did not fill in time, or reconnect)

export type SequencerAction = { kind: 'apply'; event: CommandEvent } | { kind: 'jump'; state: RoomState } | { kind: 'sync' }

export interface SequencerOptions {
  /** How long an early event may wait for the ones before it before we ask for a sync (ms). */
  gapTimeoutMs?: number
  /** More held events than this means we are far behind: sync at once. */
  maxHeld?: number
}

export class Sequencer {
  private last: number | null = null
  private readonly held = new Map<number, CommandEvent>()
  private gapSince: number | null = null
  /** A baseline (join or sync) is on its way; starts true because the join is. */
  private syncing = true
  private readonly gapTimeoutMs: number
  private readonly maxHeld: number

  constructor(opts: SequencerOptions = {}) {
    this.gapTimeoutMs = opts.gapTimeoutMs ?? 500
    this.maxHeld = opts.maxHeld ?? 256
  }

  /** The last seq applied or jumped to; null before the first baseline. */
  get seq(): number | null {
    return this.last
  }

  get heldCount(): number {
    return this.held.size
  }

  get awaitingSync(): boolean {
    return this.syncing
  }

  /** A state from the server (join, sync): jump to it unless we are already past it, then drain. */
  reset(state: RoomState, now: number): SequencerAction[] {
    this.syncing = false
    const out: SequencerAction[] = []
    if (this.last === null || state.seq > this.last) {
      this.last = state.seq
      out.push({ kind: 'jump', state })
    }
    for (const seq of this.held.keys()) if (seq <= this.last) this.held.delete(seq)
    this.drain(out)
    // Whatever is still held waits behind a new gap, timed from now.
    this.gapSince = this.held.size > 0 ? now : null
    return out
  }

  receive(event: CommandEvent, now: number): SequencerAction[] {
    if (this.last !== null && event.seq <= this.last) return [] // duplicate or already covered by a jump
    if (this.held.has(event.seq)) return []
    if (this.last !== null && event.seq === this.last + 1) {
      const out: SequencerAction[] = []
      this.last = event.seq
      out.push({ kind: 'apply', event })
      this.drain(out)
      this.gapSince = this.held.size > 0 ? (this.gapSince ?? now) : null
      return out
    }
    // Early (or no baseline yet): hold it until the gap fills, a sync arrives or the wait runs out.
    this.held.set(event.seq, event)
    this.gapSince ??= now
    if (this.held.size > this.maxHeld && !this.syncing) return this.requestSync()
    return []
  }

  /** Run at nextDeadline(): a gap that outlived gapTimeoutMs asks for a sync. */
  tick(now: number): SequencerAction[] {
    if (this.syncing || this.gapSince === null) return []
    if (now - this.gapSince < this.gapTimeoutMs) return []
    return this.requestSync()
  }

  /** When tick() should run next, or null when nothing waits. */
  nextDeadline(): number | null {
    if (this.syncing || this.gapSince === null) return null
    return this.gapSince + this.gapTimeoutMs
  }

  /** The connection came back: events may have been lost while it was down. */
  reconnected(): SequencerAction[] {
    return this.requestSync()
  }

  /** The sync request failed (timeout, error): the next tick may ask again. */
  syncFailed(now: number): void {
    this.syncing = false
    if (this.held.size > 0 || this.last === null) this.gapSince = now
  }

  private requestSync(): SequencerAction[] {
    this.syncing = true
    return [{ kind: 'sync' }]
  }

  private drain(out: SequencerAction[]): void {
    if (this.last === null) return
    for (let next = this.held.get(this.last + 1); next; next = this.held.get(this.last + 1)) {
      this.held.delete(next.seq)
      this.last = next.seq
      out.push({ kind: 'apply', event: next })
    }
  }
}
