import { type FragmentEntry, fragmentAt } from './mp4'

// Pure decisions of the streaming layer, kept apart from MediaSource so they can be tested
// without a browser: how much is buffered ahead, which chunks to ask for next, where a time
// lies in the file, and what to evict behind the playhead.

export interface TimeRange {
  start: number
  end: number
}

/** TimeRanges (or a plain list) as an array. */
export function toRanges(tr: { length: number; start(i: number): number; end(i: number): number } | TimeRange[]): TimeRange[] {
  if (Array.isArray(tr)) return tr
  const out: TimeRange[] = []
  for (let i = 0; i < tr.length; i++) out.push({ start: tr.start(i), end: tr.end(i) })
  return out
}

/** The buffered range containing `t` (with a small tolerance for gaps between fragments). */
export function rangeAt(ranges: TimeRange[], t: number, tolerance = 0.25): TimeRange | null {
  return ranges.find((r) => t >= r.start - tolerance && t <= r.end + 1e-3) ?? null
}

/** Seconds buffered contiguously ahead of `t`. */
export function bufferedAhead(ranges: TimeRange[], t: number): number {
  const r = rangeAt(ranges, t)
  return r ? Math.max(0, r.end - t) : 0
}

export interface ByteMap {
  /** Fragment index (mfra or scanned so far), sorted by offset; may be empty. */
  index: FragmentEntry[]
  /** The index lists every fragment of the file (from mfra), not just those scanned so far. */
  indexComplete: boolean
  /** Byte where the media fragments start (just past moov). */
  mediaStart: number
  totalSize: number
  /** Seconds; used to estimate when the index does not reach `t`. */
  durationSec: number | null
}

/**
 * Where to start appending for playback at `t`: the moof of the last fragment at or before `t`
 * when the index knows it (`exact`), else an estimate from the average bitrate, in which case
 * the caller searches the chunk there for the next moof.
 */
export function offsetForTime(map: ByteMap, t: number): { offset: number; exact: boolean } {
  const f = fragmentAt(map.index, t)
  if (f && (map.indexComplete || f !== map.index.at(-1))) return { offset: f.offset, exact: true }
  if (!map.durationSec || map.durationSec <= 0) return { offset: f?.offset ?? map.mediaStart, exact: true }
  const ratio = Math.min(1, Math.max(0, t / map.durationSec))
  const guess = Math.floor(map.mediaStart + ratio * (map.totalSize - map.mediaStart))
  const floor = f?.offset ?? map.mediaStart
  return guess <= floor ? { offset: floor, exact: true } : { offset: guess, exact: false }
}

/** The media time at file offset `byte` (index when possible, else linear). */
export function estimateTime(map: ByteMap, byte: number): number {
  let before: FragmentEntry | null = null
  let after: FragmentEntry | null = null
  for (const e of map.index) {
    if (e.offset <= byte) before = e
    else {
      after = e
      break
    }
  }
  const endTime = map.durationSec ?? before?.time ?? 0
  const a = before ?? { time: 0, offset: map.mediaStart }
  const b = after ?? { time: endTime, offset: map.totalSize }
  if (b.offset <= a.offset) return a.time
  return a.time + ((byte - a.offset) / (b.offset - a.offset)) * (b.time - a.time)
}

/** The file offset reached when playback is at `t` (the inverse of estimateTime). */
export function byteForTime(map: ByteMap, t: number): number {
  const f = fragmentAt(map.index, t)
  const i = f ? map.index.indexOf(f) : -1
  const a = f ?? { time: 0, offset: map.mediaStart }
  const next = i >= 0 ? map.index[i + 1] : map.index[0]
  const b = next ?? { time: map.durationSec ?? a.time, offset: map.totalSize }
  if (b.time <= a.time) return b === next ? b.offset : map.totalSize
  return Math.min(map.totalSize, Math.ceil(a.offset + ((t - a.time) / (b.time - a.time)) * (b.offset - a.offset)))
}

export interface ChunkPlanInput {
  /** Next byte the SourceBuffer needs (contiguous append position). */
  nextOffset: number
  /** The byte playback will have reached `aheadTime` seconds from now. */
  targetByte: number
  chunkSize: number
  totalSize: number
  /** Chunks requested or held already. */
  have: ReadonlySet<number>
  /** Hard cap on chunks requested ahead of nextOffset. */
  maxChunksAhead: number
}

/** Chunk indexes to request now, in playback order: always the one at nextOffset, then up to targetByte. */
export function chunksToRequest(p: ChunkPlanInput): number[] {
  if (p.nextOffset >= p.totalSize) return []
  const first = Math.floor(p.nextOffset / p.chunkSize)
  const lastByte = Math.min(p.totalSize - 1, Math.max(p.nextOffset, p.targetByte))
  const last = Math.min(Math.floor(lastByte / p.chunkSize), first + p.maxChunksAhead - 1)
  const out: number[] = []
  for (let i = first; i <= last; i++) if (!p.have.has(i)) out.push(i)
  return out
}

/**
 * What to evict: everything buffered more than `maxBehind` seconds behind `t` is trimmed back to
 * `keepBehind` seconds, and ranges entirely ahead of `t + maxAhead` (left by an earlier seek) go too.
 */
export function evictionRanges(ranges: TimeRange[], t: number, keepBehind: number, maxBehind: number, maxAhead: number): TimeRange[] {
  const out: TimeRange[] = []
  const first = ranges[0]
  if (first && t - first.start > maxBehind) {
    const end = t - keepBehind
    if (end > first.start) out.push({ start: first.start, end })
  }
  for (const r of ranges) if (r.start > t + maxAhead) out.push({ start: r.start, end: r.end })
  return out
}
