import { describe, expect, it } from 'vitest'
import { Sequencer, type SequencerAction } from '@/lib/realtime/sequencer'
import { event, state } from './fixtures'

const applied = (actions: SequencerAction[]) => actions.map((a) => (a.kind === 'apply' ? a.event.seq : a.kind === 'jump' ? `jump${a.state.seq}` : 'sync'))

describe('Sequencer', () => {
  it('jumps to the join state, then applies commands in order', () => {
    const s = new Sequencer()
    expect(applied(s.reset(state(3), 0))).toEqual(['jump3'])
    expect(applied(s.receive(event(4), 1))).toEqual([4])
    expect(applied(s.receive(event(5), 2))).toEqual([5])
    expect(s.seq).toBe(5)
  })

  it('holds early events and releases them in seq order when the gap fills', () => {
    const s = new Sequencer()
    s.reset(state(0), 0)
    expect(applied(s.receive(event(3), 1))).toEqual([])
    expect(applied(s.receive(event(2), 2))).toEqual([])
    expect(s.heldCount).toBe(2)
    expect(applied(s.receive(event(1), 3))).toEqual([1, 2, 3])
    expect(s.heldCount).toBe(0)
    expect(s.nextDeadline()).toBeNull()
  })

  it('ignores duplicates, applied or held', () => {
    const s = new Sequencer()
    s.reset(state(0), 0)
    expect(applied(s.receive(event(1), 1))).toEqual([1])
    expect(applied(s.receive(event(1), 2))).toEqual([])
    expect(applied(s.receive(event(3), 3))).toEqual([])
    expect(applied(s.receive(event(3), 4))).toEqual([])
    expect(applied(s.receive(event(2), 5))).toEqual([2, 3])
    expect(applied(s.receive(event(2), 6))).toEqual([])
  })

  it('asks for a sync when a gap outlives the timeout, then jumps to the state and drains what follows', () => {
    const s = new Sequencer({ gapTimeoutMs: 500 })
    s.reset(state(1), 0)
    s.receive(event(3), 100)
    s.receive(event(5), 150)
    expect(s.nextDeadline()).toBe(600)
    expect(s.tick(599)).toEqual([])
    expect(applied(s.tick(600))).toEqual(['sync'])
    // One sync at a time, and no deadline while it is out.
    expect(s.tick(2000)).toEqual([])
    expect(s.nextDeadline()).toBeNull()
    // The server says seq 4: 3 is covered by the jump, 5 follows it.
    expect(applied(s.reset(state(4), 700))).toEqual(['jump4', 5])
    expect(s.seq).toBe(5)
    expect(s.nextDeadline()).toBeNull()
  })

  it('restarts the gap clock when a sync leaves events still waiting', () => {
    const s = new Sequencer({ gapTimeoutMs: 500 })
    s.reset(state(1), 0)
    s.receive(event(5), 10)
    expect(applied(s.tick(510))).toEqual(['sync'])
    expect(applied(s.reset(state(3), 520))).toEqual(['jump3'])
    expect(s.nextDeadline()).toBe(1020)
  })

  it('does not jump back to a state older than what it applied', () => {
    const s = new Sequencer()
    s.reset(state(1), 0)
    s.receive(event(2), 1)
    s.receive(event(3), 2)
    expect(applied(s.reset(state(2), 3))).toEqual([])
    expect(s.seq).toBe(3)
    expect(s.awaitingSync).toBe(false)
  })

  it('holds events that overtake the join ack until the baseline arrives', () => {
    const s = new Sequencer()
    expect(s.receive(event(7), 0)).toEqual([])
    expect(s.receive(event(8), 1)).toEqual([])
    // Not waiting on a timer: the join itself is the sync in flight.
    expect(s.tick(10_000)).toEqual([])
    expect(applied(s.reset(state(6), 2))).toEqual(['jump6', 7, 8])
  })

  it('on reconnect asks for a sync and keeps order across it', () => {
    const s = new Sequencer()
    s.reset(state(1), 0)
    s.receive(event(2), 1)
    expect(applied(s.reconnected())).toEqual(['sync'])
    // Events that arrive while the sync is out wait for it, even in order.
    expect(applied(s.receive(event(4), 2))).toEqual([])
    expect(applied(s.reset(state(3), 3))).toEqual(['jump3', 4])
  })

  it('retries after a failed sync', () => {
    const s = new Sequencer({ gapTimeoutMs: 100 })
    s.reset(state(1), 0)
    s.receive(event(3), 0)
    expect(applied(s.tick(100))).toEqual(['sync'])
    s.syncFailed(150)
    expect(s.nextDeadline()).toBe(250)
    expect(applied(s.tick(250))).toEqual(['sync'])
  })

  it('syncs at once when too much is held', () => {
    const s = new Sequencer({ maxHeld: 3 })
    s.reset(state(0), 0)
    expect(s.receive(event(2), 0)).toEqual([])
    expect(s.receive(event(3), 0)).toEqual([])
    expect(s.receive(event(4), 0)).toEqual([])
    expect(applied(s.receive(event(5), 0))).toEqual(['sync'])
  })

  it('applies a long shuffled stream exactly once, in order', () => {
    const s = new Sequencer()
    s.reset(state(0), 0)
    const seqs = Array.from({ length: 200 }, (_, i) => i + 1)
    // Deterministic shuffle with local swaps (reordering within a window, as networks do), plus duplicates.
    for (let i = 0; i < seqs.length - 3; i += 3) [seqs[i], seqs[i + 2]] = [seqs[i + 2], seqs[i]]
    const stream = [...seqs, 10, 50, 199]
    const out: (number | string)[] = []
    for (const [i, seq] of stream.entries()) out.push(...applied(s.receive(event(seq), i)))
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
  })
})
