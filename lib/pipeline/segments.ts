// Segment schedule: optional short start-up segments, then a fixed grid of segmentDuration.
// Example (4 s, ramp [1, 1, 2]): boundaries 0, 1, 2, 4, 8, 12, ... The first segment of every rung
// is ready after about one second of media, and from 4 s on the grid is the plain 4 s one.

export interface SegmentSchedule {
  segmentDuration: number
  startupSegments: readonly number[]
}

/** Start time (s) of each segment of a presentation lasting `durationS`. */
export function segmentStarts(durationS: number, s: SegmentSchedule): number[] {
  const starts: number[] = []
  let t = 0
  for (const d of s.startupSegments) {
    if (t >= durationS) return starts
    starts.push(t)
    t += d
  }
  for (; t < durationS - 1e-6; t += s.segmentDuration) starts.push(round(t))
  if (starts.length === 0) starts.push(0)
  return starts
}

/** Segments each rendition should end up with; audio may carry one more tiny tail segment. */
export function expectedSegmentCount(durationMs: number, s: SegmentSchedule): number {
  return segmentStarts(durationMs / 1000, s).length
}

/** Shortest segment: the DASH muxer must be allowed to cut there. */
export function minSegmentDuration(s: SegmentSchedule): number {
  return Math.min(s.segmentDuration, ...s.startupSegments)
}

/**
 * FFmpeg `-force_key_frames expr:` forcing an IDR frame on every boundary, for every rung alike, so
 * segments line up across renditions. `n_forced` counts the keyframes already forced, so it indexes the
 * boundary list: the ramp first, then `rampEnd + segmentDuration * (n_forced - rampLength)`.
 */
export function forceKeyFramesExpr(s: SegmentSchedule): string {
  const S = fmt(s.segmentDuration)
  const m = s.startupSegments.length
  if (m === 0) return `expr:gte(t,n_forced*${S})`
  const bounds = [0]
  for (const d of s.startupSegments) bounds.push(round(bounds[bounds.length - 1] + d))
  // Nested if() picks bounds[n_forced] for n_forced <= m.
  let pick = fmt(bounds[m])
  for (let i = m - 1; i >= 0; i--) pick = `if(eq(n_forced,${i}),${fmt(bounds[i])},${pick})`
  return `expr:gte(t,if(lte(n_forced,${m}),${pick},${fmt(bounds[m])}+${S}*(n_forced-${m})))`
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

function fmt(x: number): string {
  return String(round(x))
}
