import { describe, expect, it } from 'vitest'
import { percentOf, ProgressParser } from '@/lib/pipeline/progress'

const block = (over: Record<string, string> = {}, progress = 'continue') =>
  `${Object.entries({
    frame: '120',
    fps: '29.97',
    bitrate: 'N/A',
    total_size: '1048576',
    out_time_us: '4000000',
    out_time_ms: '4000000',
    out_time: '00:00:04.000000',
    dup_frames: '0',
    drop_frames: '0',
    speed: '1.52x',
    ...over,
  })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\nprogress=${progress}\n`

describe('ProgressParser', () => {
  it('emits one snapshot per block', () => {
    const p = new ProgressParser()
    expect(p.feed(block() + block({ out_time_us: '8000000', frame: '240' }))).toEqual([
      { outTimeMs: 4000, frame: 120, fps: 29.97, speed: 1.52, totalSizeBytes: 1048576, done: false },
      { outTimeMs: 8000, frame: 240, fps: 29.97, speed: 1.52, totalSizeBytes: 1048576, done: false },
    ])
  })

  it('joins lines split across chunks', () => {
    const p = new ProgressParser()
    const text = block({ out_time_us: '2500000' })
    const cut = text.indexOf('out_time_us=') + 15
    expect(p.feed(text.slice(0, cut))).toEqual([])
    expect(p.feed(text.slice(cut))).toMatchObject([{ outTimeMs: 2500 }])
  })

  it('treats N/A as unknown before the first frame', () => {
    const p = new ProgressParser()
    expect(p.feed(block({ out_time_us: 'N/A', out_time_ms: 'N/A', out_time: 'N/A', speed: 'N/A', frame: '0' }))).toEqual([
      { outTimeMs: 0, frame: 0, fps: 29.97, speed: null, totalSizeBytes: 1048576, done: false },
    ])
  })

  it('falls back to the clock form and clamps negative times', () => {
    const p = new ProgressParser()
    const [a] = p.feed('out_time=01:02:03.500000\nprogress=continue\n')
    expect(a.outTimeMs).toBe(3_723_500)
    const [b] = p.feed('out_time_us=-23220\nprogress=continue\n')
    expect(b.outTimeMs).toBe(0)
  })

  it('marks the last block', () => {
    const [s] = new ProgressParser().feed(block({}, 'end'))
    expect(s.done).toBe(true)
  })

  it('tolerates CRLF and junk lines', () => {
    expect(new ProgressParser().feed('garbage\r\nout_time_us=1000000\r\nprogress=continue\r\n')).toMatchObject([{ outTimeMs: 1000 }])
  })
})

describe('percentOf', () => {
  it('never says 100 before the end, nor leaves 0–100', () => {
    expect(percentOf(0, 10_000)).toBe(0)
    expect(percentOf(5_000, 10_000)).toBe(50)
    expect(percentOf(3_333, 10_000)).toBe(33.3)
    expect(percentOf(10_000, 10_000)).toBe(99.9)
    expect(percentOf(12_000, 10_000)).toBe(99.9)
    expect(percentOf(10_000, 10_000, true)).toBe(100)
    expect(percentOf(1_000, 0)).toBe(0)
  })
})
