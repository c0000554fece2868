import { describe, expect, it } from 'vitest'
import { BufferPool } from '@/lib/streaming/buffer-pool'

describe('BufferPool', () => {
  it('lends full pieces within the budget and small ones past it', () => {
    const pool = new BufferPool(1000)
    const a = pool.take(400, 50)
    const b = pool.take(400, 50)
    const c = pool.take(400, 50)
    expect([a.length, b.length, c.length]).toEqual([400, 400, 50])
    expect(pool.lentBytes).toBe(850)
    pool.give(a)
    expect(pool.take(400, 50).length).toBe(400)
  })

  it('reuses given buffers and never reuses forgotten ones', () => {
    const pool = new BufferPool(1000)
    const a = pool.take(100, 10)
    pool.give(a)
    expect(pool.idleByteCount).toBe(100)
    expect(pool.take(100, 10)).toBe(a)
    const b = pool.take(100, 10)
    pool.forget(b)
    expect(pool.lentBytes).toBe(100)
    expect(pool.take(100, 10)).not.toBe(b)
  })

  it('keeps no more idle bytes than the budget', () => {
    const pool = new BufferPool(250)
    const bufs = [pool.take(100, 100), pool.take(100, 100), pool.take(100, 100)]
    for (const b of bufs) pool.give(b)
    expect(pool.lentBytes).toBe(0)
    expect(pool.idleByteCount).toBe(200)
  })

  it('never lends more than asked even when the fallback is larger', () => {
    expect(new BufferPool(0).take(16, 64).length).toBe(16)
  })
})
