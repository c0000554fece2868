import { describe, expect, it } from 'vitest'
import { expectedSegmentCount, forceKeyFramesExpr, minSegmentDuration, segmentStarts } from '@/lib/pipeline/segments'

const ramp = { segmentDuration: 4, startupSegments: [1, 1, 2] }
const flat = { segmentDuration: 4, startupSegments: [] }

/** Runs a -force_key_frames expression the way FFmpeg does: per frame, with n_forced counting hits. */
function keyframeTimes(expr: string, seconds: number, fps = 30): number[] {
  const body = expr.replace(/^expr:/, '').replaceAll('if(', 'IF(')
  const fn = new Function('t', 'n_forced', 'IF', 'gte', 'lte', 'eq', `return ${body}`) as (...a: unknown[]) => number
  const ops = [
    (c: number, a: number, b: number) => (c ? a : b),
    (a: number, b: number) => +(a >= b),
    (a: number, b: number) => +(a <= b),
    (a: number, b: number) => +(a === b),
  ]
  const out: number[] = []
  for (let i = 0; i < seconds * fps; i++) {
    const t = i / fps
    if (fn(t, out.length, ...ops)) out.push(Math.round(t * 1000) / 1000)
  }
  return out
}

describe('forceKeyFramesExpr', () => {
  it('is the proven fixed-grid expression without a ramp', () => {
    expect(forceKeyFramesExpr(flat)).toBe('expr:gte(t,n_forced*4)')
    expect(keyframeTimes(forceKeyFramesExpr(flat), 13)).toEqual([0, 4, 8, 12])
  })

  it('forces the short start-up boundaries, then the regular grid', () => {
    expect(forceKeyFramesExpr(ramp)).toBe('expr:gte(t,if(lte(n_forced,3),if(eq(n_forced,0),0,if(eq(n_forced,1),1,if(eq(n_forced,2),2,4))),4+4*(n_forced-3)))')
    expect(keyframeTimes(forceKeyFramesExpr(ramp), 13)).toEqual([0, 1, 2, 4, 8, 12])
  })

  it('handles a ramp that does not end on the grid', () => {
    expect(keyframeTimes(forceKeyFramesExpr({ segmentDuration: 6, startupSegments: [2, 2] }), 20, 25)).toEqual([0, 2, 4, 10, 16])
  })
})

describe('segment counts', () => {
  it('lists segment starts for the ramp', () => {
    expect(segmentStarts(10, ramp)).toEqual([0, 1, 2, 4, 8])
    expect(segmentStarts(1, ramp)).toEqual([0])
    expect(segmentStarts(60, flat)).toHaveLength(15)
  })

  it('counts segments per rendition', () => {
    expect(expectedSegmentCount(60_000, ramp)).toBe(17)
    expect(expectedSegmentCount(1_000, ramp)).toBe(1)
    expect(expectedSegmentCount(4_000, ramp)).toBe(3)
    expect(expectedSegmentCount(4_001, ramp)).toBe(4)
  })

  it('lets the muxer cut at the shortest segment', () => {
    expect(minSegmentDuration(ramp)).toBe(1)
    expect(minSegmentDuration(flat)).toBe(4)
  })
})
