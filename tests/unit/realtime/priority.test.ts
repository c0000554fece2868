import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { commandStarted, enqueueMedia, MAX_HOLD_MS, mediaPacer, mediaQueued, SLICE_MS } from '@/lib/realtime/priority'

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spin: stands for a 1 MiB socket write
  }
}

describe('media pacing', () => {
  it('passes every chunk through in order', async () => {
    const out: string[] = []
    await pipeline(
      Readable.from(['a', 'b', 'c'].map((s) => Buffer.from(s))),
      mediaPacer(),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          out.push(chunk.toString())
          cb()
        },
      }),
    )
    expect(out).toEqual(['a', 'b', 'c'])
  })

  it('yields to I/O after a slice of media work', async () => {
    const ran: number[] = []
    for (let i = 0; i < 40; i++)
      enqueueMedia(() => {
        busy(1)
        ran.push(i)
      })
    // Timers stand for a command's socket read: between two of them, at most one slice of media runs.
    const between: number[] = []
    let last = 0
    while (ran.length < 40) {
      await new Promise((r) => setTimeout(r, 0))
      between.push(ran.length - last)
      last = ran.length
    }
    expect(between.length).toBeGreaterThan(40 / (SLICE_MS + 2))
    expect(Math.max(...between)).toBeLessThanOrEqual(SLICE_MS + 2)
    expect(ran).toEqual(Array.from({ length: 40 }, (_, i) => i))
    expect(mediaQueued()).toBe(0)
  })

  it('holds media while a command is in flight, and resumes when it is done', async () => {
    const done = commandStarted()
    let ran = false
    enqueueMedia(() => {
      ran = true
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(ran).toBe(false)
    done()
    done() // idempotent
    await new Promise((r) => setImmediate(r))
    expect(ran).toBe(true)
  })

  it('never holds media longer than the bound, even if commands keep coming', async () => {
    const done = commandStarted()
    const start = performance.now()
    const at = await new Promise<number>((resolve) => enqueueMedia(() => resolve(performance.now())))
    done()
    expect(at - start).toBeGreaterThanOrEqual(MAX_HOLD_MS - 2)
    expect(at - start).toBeLessThan(MAX_HOLD_MS + 100)
  })
})
