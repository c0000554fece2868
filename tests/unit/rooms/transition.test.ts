import { describe, expect, it } from 'vitest'
import { MAX_POSITION_MS } from '@/lib/realtime/protocol'
import { nextState, positionAt } from '@/lib/rooms/transition'
import { state } from '../realtime/fixtures'

// The rules the owner node applies in memory; the database path (integration/realtime/rooms)
// states the same ones in SQL, and both are checked against the same expectations.

const T = 1_000_000
const r = 'room1'
const code = (f: () => unknown) => {
  try {
    f()
    return 'applied'
  } catch (err) {
    return (err as { code?: string }).code
  }
}

describe('nextState', () => {
  it('advances seq and updatedAt with every command, and leaves the given state alone', () => {
    const before = state(4)
    const after = nextState(before, { type: 'seek', roomId: r, positionMs: 5000 }, T + 10)
    expect(after).toMatchObject({ seq: 5, updatedAt: T + 10, positionMs: 5000, playing: false })
    expect(before).toEqual(state(4))
  })

  it('plays and pauses where playback had got to, at the room rate', () => {
    const playing = nextState(state(1, { positionMs: 5000 }), { type: 'play', roomId: r }, T)
    expect(playing).toMatchObject({ playing: true, positionMs: 5000, updatedAt: T })
    expect(positionAt(playing, T + 1234)).toBe(6234)
    const paused = nextState(playing, { type: 'pause', roomId: r }, T + 1234)
    expect(paused).toMatchObject({ playing: false, positionMs: 6234 })
    // A clock step backwards counts as no time; a very long run stays in the column's range.
    expect(positionAt(playing, T - 5000)).toBe(5000)
    expect(positionAt({ ...playing, rate: 2 }, T + 500)).toBe(6000)
    expect(positionAt(playing, T + 3 * MAX_POSITION_MS)).toBe(MAX_POSITION_MS)
  })

  it('changes the rate from where playback is, so the position does not jump', () => {
    const playing = nextState(state(1, { positionMs: 5000 }), { type: 'play', roomId: r }, T)
    const faster = nextState(playing, { type: 'rate', roomId: r, rate: 2 }, T + 1000)
    expect(faster).toMatchObject({ rate: 2, positionMs: 6000, playing: true })
    expect(positionAt(faster, T + 1500)).toBe(7000)
  })

  it('moves through the playlist: next stays on the last item where it is, prev restarts the first', () => {
    let s = nextState(state(0), { type: 'next', roomId: r }, T)
    expect(s).toMatchObject({ currentIndex: 1, positionMs: 0 })
    s = nextState({ ...s, currentIndex: 2, positionMs: 700 }, { type: 'next', roomId: r }, T)
    expect(s).toMatchObject({ currentIndex: 2, positionMs: 700 })
    s = nextState(s, { type: 'select', roomId: r, index: 0 }, T)
    expect(s).toMatchObject({ currentIndex: 0, positionMs: 0 })
    s = nextState({ ...s, positionMs: 900 }, { type: 'prev', roomId: r }, T)
    expect(s).toMatchObject({ currentIndex: 0, positionMs: 0 })
  })

  it('refuses commands that would point at no video, with CONFLICT', () => {
    const empty = state(3, { videoIds: [] })
    expect(code(() => nextState(empty, { type: 'next', roomId: r }, T))).toBe('CONFLICT')
    expect(code(() => nextState(empty, { type: 'prev', roomId: r }, T))).toBe('CONFLICT')
    expect(code(() => nextState(state(3), { type: 'select', roomId: r, index: 3 }, T))).toBe('CONFLICT')
    expect(code(() => nextState(empty, { type: 'play', roomId: r }, T))).toBe('applied')
  })

  it('loads a playlist at the start index, clamped to its length', () => {
    const ids = ['a', 'b']
    expect(nextState(state(0), { type: 'playlist.load', roomId: r, videoIds: ids, startIndex: 1 }, T, ids)).toMatchObject({
      videoIds: ids,
      currentIndex: 1,
      positionMs: 0,
    })
    expect(nextState(state(0), { type: 'playlist.load', roomId: r, videoIds: ids, startIndex: 9 }, T, ids).currentIndex).toBe(1)
  })
})
