import { describe, expect, it } from 'vitest'
import { parseRange } from '@/lib/streaming/ranges'

describe('parseRange', () => {
  it('returns full without a header or with another unit', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'full' })
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'full' })
    expect(parseRange('bytes 0-1', 10)).toEqual({ kind: 'full' })
  })

  it('reads the unit case-insensitively', () => {
    expect(parseRange('Bytes=0-1', 10)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 1 }] })
  })

  it('selects the whole file for a suffix longer than it', () => {
    expect(parseRange('bytes=-11', 10)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 9 }] })
    expect(parseRange('bytes=-10', 10)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 9 }] })
    expect(parseRange('bytes=-3', 10)).toEqual({ kind: 'partial', ranges: [{ start: 7, end: 9 }] })
  })

  it('clamps last-pos and refuses first-pos past the end', () => {
    expect(parseRange('bytes=5-100', 10)).toEqual({ kind: 'partial', ranges: [{ start: 5, end: 9 }] })
    expect(parseRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' })
  })

  it('treats every range on an empty file as unsatisfiable', () => {
    for (const h of ['bytes=0-', 'bytes=0-0', 'bytes=-1']) expect(parseRange(h, 0)).toEqual({ kind: 'unsatisfiable' })
  })

  it('ignores an invalid set instead of answering 416', () => {
    for (const h of ['bytes=5-2', 'bytes=a-b', 'bytes=1-2,oops', 'bytes=', 'bytes=,', 'bytes=+1-2', 'bytes=0x1-2']) {
      expect(parseRange(h, 10), h).toEqual({ kind: 'full' })
    }
  })

  it('coalesces overlapping and adjacent ranges, keeps disjoint ones in request order', () => {
    expect(parseRange('bytes=0-1,2-3', 10)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 3 }] })
    expect(parseRange('bytes=6-7, 0-1', 10)).toEqual({
      kind: 'partial',
      ranges: [
        { start: 6, end: 7 },
        { start: 0, end: 1 },
      ],
    })
  })

  it('accepts empty list elements', () => {
    expect(parseRange('bytes=,0-1,', 10)).toEqual({ kind: 'partial', ranges: [{ start: 0, end: 1 }] })
  })
})
