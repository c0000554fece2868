import { describe, expect, it } from 'vitest'
import { ReadLanes } from '@/lib/streaming/read-lanes'

const tick = () => new Promise((r) => setImmediate(r))

describe('ReadLanes', () => {
  it('lets at most maxInFlight reads run, and first reads overtake queued next reads', async () => {
    const lanes = new ReadLanes(2)
    const started: string[] = []
    const releases = new Map<string, () => void>()
    const read = async (label: string, isFirst: boolean) => {
      releases.set(label, await lanes.acquire(isFirst))
      started.push(label)
    }
    await read('a', false)
    await read('b', false)
    const queued = [read('next-1', false), read('next-2', false), read('first', true)]
    await tick()
    expect(started).toEqual(['a', 'b'])
    expect(lanes.waiting).toBe(3)

    releases.get('a')?.()
    await tick()
    expect(started).toEqual(['a', 'b', 'first'])
    releases.get('b')?.()
    releases.get('b')?.() // releasing the same slot twice frees it once
    await tick()
    expect(started).toEqual(['a', 'b', 'first', 'next-1'])

    releases.get('first')?.()
    await Promise.all(queued)
    expect(started.at(-1)).toBe('next-2')
    expect(lanes.waiting).toBe(0)
    releases.get('next-1')?.()
    releases.get('next-2')?.()
    // Every slot is free again: two reads start without waiting.
    await read('c', false)
    await read('d', false)
    expect(started.slice(-2)).toEqual(['c', 'd'])
  })
})
