import { describe, expect, it } from 'vitest'
import { isFinished, loadLocalPosition, resumePoint, saveLocalPosition } from '@/lib/player/resume'

class MemoryStorage implements Storage {
  private map = new Map<string, string>()
  get length() {
    return this.map.size
  }
  clear() {
    this.map.clear()
  }
  getItem(k: string) {
    return this.map.get(k) ?? null
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null
  }
  removeItem(k: string) {
    this.map.delete(k)
  }
  setItem(k: string, v: string) {
    this.map.set(k, v)
  }
}

describe('resumePoint', () => {
  it('resumes at the saved position', () => {
    expect(resumePoint({ positionMs: 20_500, durationMs: 60_000 }, 60_000)).toBe(20.5)
    expect(resumePoint({ positionMs: 20_000, durationMs: null }, 60_000)).toBe(20)
    expect(resumePoint({ positionMs: 20_000, durationMs: null }, null)).toBe(20)
  })

  it('starts over in the last 5 %, near the start, or with nothing saved', () => {
    expect(resumePoint({ positionMs: 57_000, durationMs: 60_000 }, 60_000)).toBeUndefined()
    expect(resumePoint({ positionMs: 56_900, durationMs: null }, 60_000)).toBe(56.9)
    expect(resumePoint({ positionMs: 500, durationMs: 60_000 }, 60_000)).toBeUndefined()
    expect(resumePoint(null, 60_000)).toBeUndefined()
  })

  it('counts the last 5 % as finished', () => {
    expect(isFinished(95_000, 100_000)).toBe(true)
    expect(isFinished(94_999, 100_000)).toBe(false)
    expect(isFinished(94_999, null)).toBe(false)
  })
})

describe('local positions (anonymous viewers)', () => {
  it('round-trips and ignores what it cannot read', () => {
    const s = new MemoryStorage()
    saveLocalPosition('a', { positionMs: 1234, durationMs: 5000 }, s)
    expect(loadLocalPosition('a', s)).toEqual({ positionMs: 1234, durationMs: 5000 })
    expect(loadLocalPosition('b', s)).toBeNull()
    s.setItem('reelhouse:progress:c', '{not json')
    expect(loadLocalPosition('c', s)).toBeNull()
    s.setItem('reelhouse:progress:d', '{"positionMs":"12"}')
    expect(loadLocalPosition('d', s)).toBeNull()
  })

  it('keeps the 200 most recent videos', () => {
    const s = new MemoryStorage()
    s.setItem('reelhouse:volume', 'kept')
    for (let i = 0; i < 205; i++) {
      s.setItem(`reelhouse:progress:v${i}`, JSON.stringify({ positionMs: i, durationMs: null, updatedAt: i }))
    }
    saveLocalPosition('latest', { positionMs: 1, durationMs: null }, s)
    expect(s.length).toBe(201)
    expect(loadLocalPosition('v0', s)).toBeNull()
    expect(loadLocalPosition('v10', s)).not.toBeNull()
    expect(loadLocalPosition('latest', s)).not.toBeNull()
    expect(s.getItem('reelhouse:volume')).toBe('kept')
  })
})
